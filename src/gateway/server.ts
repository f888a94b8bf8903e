// The HTTP/1.1 listener (SPEC §9.7): keep-alive with a 65 s idle timeout, 16 KiB header cap (431), malformed
// requests answered 400, graceful close that lets in-flight requests finish.
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { GatewayContext } from './context.js';
import { handleRequest } from './handle.js';

export function createGatewayServer(ctx: GatewayContext): Server {
  const server = createServer({ maxHeaderSize: 16 * 1024, keepAlive: true }, (req, res) => {
    void handleRequest(ctx, req, res);
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 0;
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const overflow = err.code === 'HPE_HEADER_OVERFLOW';
    const body = JSON.stringify({ error: overflow ? 'request header fields too large' : 'bad request' });
    const status = overflow ? '431 Request Header Fields Too Large' : '400 Bad Request';
    socket.end(
      `HTTP/1.1 ${status}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });
  return server;
}

export function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(e);
    };
    const onListening = () => {
      server.off('error', onError);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host, port, exclusive: true });
  });
}

/** Stop accepting, let in-flight requests finish for up to `graceMs`, then cut what is left. */
export function closeGracefully(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      server.closeAllConnections();
      resolve();
    }, graceMs);
    t.unref();
    server.close(() => {
      clearTimeout(t);
      resolve();
    });
    server.closeIdleConnections();
  });
}
