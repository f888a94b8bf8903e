// Door of the protocol concern (docs/protocol.md): frame types, message shapes and the codec.
export * from './frames.js';
export * from './codec.js';
