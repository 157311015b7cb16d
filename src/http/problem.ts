import type { FastifyReply } from 'fastify';
import type { ErrorCode, FieldError } from '../domain/errors.js';

// RFC 9457 problem details, the one error envelope of the API.

const titles: Partial<Record<string, string>> = {
  unauthenticated: 'Authentication required',
  forbidden: 'Forbidden',
  not_found: 'Not found',
  validation_failed: 'Invalid request',
  conflict: 'Conflict',
  internal: 'Internal error',
  csrf_failed: 'Missing or invalid CSRF token',
  provider_unavailable: 'On-call provider unavailable',
  outside_known_window: 'Outside the known on-call window',
  rate_limited: 'Too many requests',
  malformed_request: 'Malformed request',
  uri_too_long: 'URI too long',
  header_too_large: 'Request line and headers too large',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode | 'internal';
  errors?: FieldError[];
  /** With `request_pending`: the request already waiting. */
  requestId?: string;
}

export function problem(
  code: ErrorCode | 'internal',
  status: number,
  detail: string,
  errors?: FieldError[],
  extensions: Readonly<Record<string, string>> = {},
): Problem {
  const title = titles[code] ?? code.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
  return {
    type: `urn:latch:problem:${code}`,
    title,
    status,
    detail,
    code,
    ...(errors?.length ? { errors } : {}),
    ...extensions,
  };
}

export function sendProblem(reply: FastifyReply, p: Problem) {
  return reply.code(p.status).type('application/problem+json').send(p);
}
