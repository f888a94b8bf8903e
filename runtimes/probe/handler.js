// Readiness probe loaded by each runtime supervisor: proves the interpreter and shim answer framed pings.
exports.handler = async () => ({ ok: true });
