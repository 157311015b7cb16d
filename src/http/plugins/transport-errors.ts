import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { problem, sendProblem, type Problem } from '../problem.js';

// Failures found before a request reaches a route: the HTTP parser's (oversized head, malformed request,
// timeout) and the router's (undecodable URL, over-long path segment). They get the same problem+json
// envelope as every other error, so no caller ever has to handle a second error shape.

/** The request line (with its URL) and all headers together; Node's default, stated so it is documented. */
export const MAX_HEADER_BYTES = 16 * 1024;

function connectionProblem(code: string | undefined): Problem {
  if (code === 'HPE_HEADER_OVERFLOW')
    return problem(
      'header_too_large',
      431,
      `the request line (with the URL) and headers must fit in ${MAX_HEADER_BYTES} bytes`,
    );
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT')
    return problem('request_timeout', 408, 'the request was not received in time');
  return problem('malformed_request', 400, 'the request is not well-formed HTTP');
}

/** Nothing has been routed yet, so the answer is written to the socket and the connection closed. */
function onClientError(err: Error & { code?: string }, socket: Socket) {
  // A reset connection has no one left to answer.
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const p = connectionProblem(err.code);
    const body = JSON.stringify(p);
    socket.write(
      `HTTP/1.1 ${p.status} ${STATUS_CODES[p.status]}\r\n` +
        'Content-Type: application/problem+json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    );
  }
  socket.destroy(err);
}

function onFrameworkError(err: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH')
    return sendProblem(reply, problem('uri_too_long', 414, 'a path segment of the URL is too long'));
  if (err.code === 'FST_ERR_BAD_URL')
    return sendProblem(reply, problem('malformed_request', 400, 'the URL is not validly percent-encoded'));
  reply.log.error({ err }, 'unhandled router error');
  return sendProblem(reply, problem('internal', 500, 'an internal error occurred; it has been logged'));
}

export const transportErrorOptions = {
  http: { maxHeaderSize: MAX_HEADER_BYTES },
  clientErrorHandler: onClientError,
  frameworkErrors: onFrameworkError,
};
