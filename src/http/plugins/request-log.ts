import type { FastifyRequest, FastifyServerOptions } from 'fastify';

// What the request log says about each request. A URL may carry what must not be written down: the
// authorization code and state an identity provider sends to the single sign-on callback. Their values are
// replaced before the URL is logged; the rest of the request line is logged as Fastify would.

const SECRET_PARAMS = new Set(['code', 'state', 'id_token', 'access_token', 'session_state']);

export function loggableUrl(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  let redacted = false;
  for (const key of [...params.keys()])
    if (SECRET_PARAMS.has(key.toLowerCase())) {
      params.set(key, 'redacted');
      redacted = true;
    }
  return redacted ? `${url.slice(0, q)}?${params.toString()}` : url;
}

const requestSerializer = (req: FastifyRequest) => ({
  method: req.method,
  url: loggableUrl(req.url),
  host: req.host,
  remoteAddress: req.ip,
  remotePort: req.socket?.remotePort,
});

/** The logger options with the request serializer above; `false` stays false. */
export function withRequestRedaction(logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] {
  if (!logger) return logger;
  const base = logger === true ? {} : logger;
  return { ...base, serializers: { ...base.serializers, req: requestSerializer as never } };
}
