// Door of the router concern (SPEC §2.5): sanitise a request path, compile a catalog into a matcher. Pure.
export * from './types.js';
export { compileRouter } from './router.js';
export { sanitizePath } from './sanitize.js';
