// The worker's end of the gateway channel (docs/protocol.md): a socketpair on fd 3, whole frames in, one write per
// frame out. It knows framing and process exit codes only; it never interprets a frame's meaning.
import { writeSync } from 'node:fs';
import { Socket } from 'node:net';
import { FrameDecoder, encodeLog, type Frame } from '../protocol/index.js';

/** Exit code of a worker that received a malformed or unexpected frame (docs/protocol.md "Framing"). */
export const EXIT_PROTOCOL_VIOLATION = 70;

export type FrameHandler = (frame: Frame) => void;

export class Channel {
  private readonly socket: Socket;
  private readonly decoder = new FrameDecoder();
  private open = true;
  private drainWait: Promise<void> | null = null;

  constructor(fd: number, private readonly onFrame: FrameHandler) {
    this.socket = new Socket({ fd, readable: true, writable: true });
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    // End of file: the gateway is done with this worker (docs/protocol.md "Lifecycle" 4).
    this.socket.on('end', () => this.exit(0));
    this.socket.on('close', () => this.exit(0));
    this.socket.on('error', () => this.exit(0));
  }

  get isOpen(): boolean {
    return this.open;
  }

  /** Writes one whole encoded frame. Returns false when the channel is gone (the caller may fall back). */
  send(frame: Buffer): boolean {
    if (!this.open) return false;
    this.socket.write(frame);
    return true;
  }

  log(id: number, stream: 1 | 2, data: string | Buffer): boolean {
    if (!this.open) return false;
    this.socket.write(encodeLog(id, stream, data));
    return true;
  }

  /** Resolves when buffered output has drained (stream backpressure); null when nothing is queued. */
  drained(): Promise<void> | null {
    if (!this.open || !this.socket.writableNeedDrain) return null;
    if (!this.drainWait) {
      this.drainWait = new Promise<void>((resolve) => {
        const done = (): void => {
          this.drainWait = null;
          this.socket.off('drain', done);
          this.socket.off('close', done);
          resolve();
        };
        this.socket.on('drain', done);
        this.socket.on('close', done);
      });
    }
    return this.drainWait;
  }

  /** STYLE rule 7: never skip what we do not understand; say why on fd 2 and exit 70. */
  violation(reason: string): never {
    try {
      writeSync(2, `fastfn node worker: protocol violation: ${reason}\n`);
    } catch {
      /* stderr is gone too; the exit code still says it */
    }
    process.exit(EXIT_PROTOCOL_VIOLATION);
  }

  private onData(chunk: Buffer): void {
    let frames: Frame[];
    try {
      frames = this.decoder.push(chunk);
    } catch (e) {
      this.violation((e as Error).message);
    }
    for (let i = 0; i < frames.length; i++) {
      try {
        this.onFrame(frames[i]!);
      } catch (e) {
        this.violation(`bad frame 0x${frames[i]!.type.toString(16)}: ${(e as Error).message}`);
      }
    }
  }

  private exit(code: number): void {
    if (!this.open) return;
    this.open = false;
    process.exit(code);
  }
}
