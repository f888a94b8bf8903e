// Door of the invoke concern: the one pipeline every caller uses (DESIGN §1).
export { Invoker, type InvokeOutcome, type InvokeRequest } from './pipeline.js';
export { HOP_HEADERS, buildEventHead, parseQuery, requestId, staticContext } from './event.js';
export { normalizeReply, isEnvelope, bodyLength, type NormalizedResponse, type HeaderMap } from './normalize.js';
