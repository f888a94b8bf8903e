// Door of the admin concern (/_fn/*).
export { platformHandler } from './platform.js';
export { healthJson, readyJson, type HealthSource } from './health.js';
