import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError, RetryLaterError, type FieldError } from '../../domain/errors.js';
import { asAppError } from '../../ops/shared/failures.js';
import { TIMESTAMP_RANGE } from '../../domain/timestamps.js';
import { problem, sendProblem } from '../problem.js';

// The one place that turns failures into responses. Anything not expected is logged and answered 500 without
// internals; everything a caller can cause maps to a stable code.

interface ValidationIssue {
  keyword?: string;
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

function fieldErrors(context: string | undefined, issues: ValidationIssue[]): FieldError[] {
  return issues.map((i) => {
    const extra = i.params?.additionalProperty ?? i.params?.missingProperty;
    const path = [
      context,
      ...(i.instancePath ?? '').split('/').filter(Boolean),
      ...(extra ? [String(extra)] : []),
    ].filter(Boolean);
    const message =
      i.keyword === 'format' && i.params?.format === 'date-time'
        ? `must be an RFC 3339 date-time with an offset, from ${TIMESTAMP_RANGE}`
        : (i.message ?? 'is invalid');
    return { field: path.join('.') || (context ?? 'body'), message };
  });
}

const statusCodes: Record<number, Parameters<typeof problem>[0]> = {
  400: 'validation_failed',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  408: 'request_timeout',
  409: 'conflict',
  412: 'precondition_failed',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  416: 'range_not_satisfiable',
  431: 'header_too_large',
};

export function registerErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError | AppError, request, reply) => {
    err = asAppError(err) ?? err;
    if (err instanceof RetryLaterError) reply.header('retry-after', String(err.retryAfterSeconds));
    if (err instanceof AppError)
      return sendProblem(reply, problem(err.code, err.status, err.message, err.errors, err.extensions));
    const fe = err as FastifyError & { validationContext?: string };
    if (fe.validation) {
      const errors = fieldErrors(fe.validationContext, fe.validation as ValidationIssue[]);
      const detail = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
      return sendProblem(reply, problem('validation_failed', 400, detail, errors));
    }
    const status = fe.statusCode ?? 500;
    // Every refusal of the caller's request gets a code, even one of a status this map does not name.
    const code = statusCodes[status] ?? 'malformed_request';
    if (status >= 400 && status < 500) {
      const detail =
        fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError
          ? `malformed JSON body: ${fe.message}`
          : fe.message;
      return sendProblem(reply, problem(code, status, detail));
    }
    request.log.error({ err }, 'unhandled error');
    return sendProblem(reply, problem('internal', 500, 'an internal error occurred; it has been logged'));
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      problem('not_found', 404, `no route for ${request.method} ${request.url.split('?')[0]}`),
    ),
  );
}
