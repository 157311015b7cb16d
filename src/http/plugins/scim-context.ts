import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../domain/errors.js';
import { ScimError, scimErrorBody, type ScimErrorType } from '../../domain/scim/errors.js';
import { asAppError } from '../../ops/shared/failures.js';
import { authenticateScim, type ScimCaller } from '../../ops/scim/authenticate.js';
import type { OpsDeps } from '../../ops/shared/deps.js';
import { TokenUseRecorder } from '../../ops/identity/token-use.js';

// What every SCIM route shares: SCIM's media type, SCIM error bodies (RFC 7644 §3.12) instead of problem+json,
// and its own authentication (a SCIM token or an admin's API token, never a browser session).

declare module 'fastify' {
  interface FastifyRequest {
    scimCaller: ScimCaller;
  }
}

export const SCIM_MEDIA_TYPE = 'application/scim+json';

const SCIM_TYPES: Partial<Record<string, ScimErrorType>> = {
  validation_failed: 'invalidValue',
  malformed_request: 'invalidSyntax',
};

/** Any failure as a SCIM error: typed errors keep their status; a conflict is a uniqueness failure. */
function asScimError(err: unknown): ScimError | undefined {
  if (err instanceof ScimError) return err;
  const app = asAppError(err) ?? err;
  if (app instanceof AppError) {
    const type = app.status === 409 ? 'uniqueness' : SCIM_TYPES[app.code];
    return new ScimError(app.status, app.message, type);
  }
  const fe = err as FastifyError;
  const status = fe?.statusCode;
  if (status && status >= 400 && status < 500) {
    const json = fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError;
    return new ScimError(
      status,
      json ? `malformed JSON body: ${fe.message}` : fe.message,
      json || fe.validation ? 'invalidSyntax' : undefined,
    );
  }
  return undefined;
}

export function sendScim(reply: FastifyReply, status: number, body: unknown) {
  return reply.code(status).header('content-type', `${SCIM_MEDIA_TYPE}; charset=utf-8`).send(body);
}

function bearer(request: FastifyRequest): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}

export function registerScimContext(app: FastifyInstance, deps: OpsDeps) {
  const tokenUse = new TokenUseRecorder(deps);
  // Providers send SCIM's media type, plain JSON, or (some) nothing at all with a JSON body.
  const json = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser(SCIM_MEDIA_TYPE, { parseAs: 'string' }, json);
  app.addContentTypeParser('*', { parseAs: 'string' }, (request, body, done) => {
    if (request.headers['content-type'] === undefined) return json(request, String(body), done);
    done(new ScimError(415, `send ${SCIM_MEDIA_TYPE} or application/json`, 'invalidSyntax'), undefined);
  });
  app.decorateRequest('scimCaller', null as unknown as ScimCaller);
  app.addHook('onRequest', async (request) => {
    request.scimCaller = await authenticateScim(deps, bearer(request));
    tokenUse.note(request.scimCaller.tokenId);
  });
  app.setErrorHandler((err, request, reply) => {
    const scim = asScimError(err);
    if (scim) {
      if (scim.status === 401) reply.header('www-authenticate', 'Bearer realm="scim"');
      const retryAfter = (asAppError(err) as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
      if (retryAfter) reply.header('retry-after', String(retryAfter));
      return sendScim(reply, scim.status, scimErrorBody(scim));
    }
    request.log.error({ err }, 'unhandled error');
    return sendScim(
      reply,
      500,
      scimErrorBody(new ScimError(500, 'an internal error occurred; it has been logged')),
    );
  });
  app.setNotFoundHandler((request, reply) =>
    sendScim(
      reply,
      404,
      scimErrorBody(new ScimError(404, `no SCIM endpoint ${request.method} ${request.url.split('?')[0]}`)),
    ),
  );
}
