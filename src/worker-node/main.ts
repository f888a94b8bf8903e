// Entry of the Node worker process (`node dist/worker-node/main.js`, channel on fd 3; docs/protocol.md). It wires the
// channel, output capture, loader and invoker; it imports only the protocol codec and never exits on handler errors.
import { FrameType, PROTOCOL_VERSION, decodeJson, encodeFrame, encodeJsonFrame, type Frame, type LoadSpec } from '../protocol/index.js';
import { currentRequestId, installCapture } from './capture.js';
import { Channel } from './channel.js';
import { applyEnv, scrubPlatformEnv } from './env.js';
import { Invoker } from './invoke.js';
import { loadHandler } from './loader.js';

const CHANNEL_FD = 3;

scrubPlatformEnv();
let loadSeen = false;
const channel = new Channel(CHANNEL_FD, onFrame);
const invoker = new Invoker(channel);
installCapture((id, stream, data) => channel.log(id, stream, data));

// A throw or rejection nobody awaited (a timer, a stray promise) is logged, never fatal: one bad callback must not
// take down every request in flight. process.exit() is deliberately left alone (SPEC §17 SEC-21).
process.on('uncaughtException', (err) => invoker.logError(currentRequestId(), err));
process.on('unhandledRejection', (reason) => invoker.logError(currentRequestId(), reason));

channel.send(
  encodeJsonFrame(FrameType.HELLO, 0, { protocol: PROTOCOL_VERSION, runtime: 'node', pid: process.pid, version: process.version }),
);

function onFrame(f: Frame): void {
  switch (f.type) {
    case FrameType.REQUEST:
      if (!loadSeen) throw new Error('REQUEST before LOAD');
      invoker.request(f.id, f.payload);
      return;
    case FrameType.CANCEL:
      invoker.cancel(f.id);
      return;
    case FrameType.PING:
      channel.send(encodeFrame(FrameType.PONG, f.id));
      return;
    case FrameType.ENV:
      applyEnv((decodeJson(f.payload) as { env?: unknown } | null)?.env);
      return;
    case FrameType.LOAD:
      if (loadSeen) throw new Error('second LOAD');
      loadSeen = true;
      startLoad(decodeJson(f.payload));
      return;
    default:
      // HELLO, LOADED, RESULT, STREAM_*, LOG and PONG only ever travel worker → gateway.
      throw new Error(`unexpected frame type 0x${f.type.toString(16)} from the gateway`);
  }
}

function startLoad(raw: unknown): void {
  if (raw === null || typeof raw !== 'object' || typeof (raw as LoadSpec).entry !== 'string') {
    throw new Error('LOAD spec without an entry');
  }
  const spec = raw as LoadSpec;
  // A worker may be started ahead of time (a spare) in another directory: the function's own dir is its cwd.
  if (typeof spec.dir === 'string' && spec.dir) {
    try {
      process.chdir(spec.dir);
    } catch {
      /* the load below reports a missing directory */
    }
  }
  applyEnv(spec.env);
  invoker.beginLoad(spec.context);
  void loadHandler(spec).then((outcome) => {
    if (!outcome.ok && outcome.code === 'HANDLER_LOAD_FAILED') invoker.logError(0, outcome.detail ?? outcome.message);
    channel.send(
      encodeJsonFrame(FrameType.LOADED, 0, outcome.ok ? { ok: true } : { ok: false, code: outcome.code, message: outcome.message }),
    );
    invoker.finishLoad(outcome);
  });
}
