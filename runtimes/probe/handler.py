# Readiness probe loaded by each runtime supervisor: proves the interpreter and shim answer framed pings.
def handler(event):
    return {"ok": True}
