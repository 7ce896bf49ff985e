import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { PROBLEM_BASE } from '../common/problem/problem.exception.js';

const KNOWN: Record<string, [number, string, string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'request-timeout', 'the request did not arrive in time'],
  HPE_HEADER_OVERFLOW: [431, 'headers-too-large', 'the request headers are too large'],
  HPE_INVALID_METHOD: [400, 'bad-request', 'unknown HTTP method'],
  HPE_INVALID_URL: [400, 'bad-request', 'malformed request target'],
};

/**
 * Requests Node's HTTP parser refuses before any route sees them (malformed request line, unknown
 * method, headers too large, a body that never finishes) still get an application/problem+json
 * answer, written straight to the socket, and the connection is closed.
 */
export function problemClientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, slug, detail] = KNOWN[error.code ?? ''] ?? [400, 'bad-request', 'malformed HTTP request'];
  const body = JSON.stringify({ type: PROBLEM_BASE + slug, title: STATUS_CODES[status], status, detail });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
