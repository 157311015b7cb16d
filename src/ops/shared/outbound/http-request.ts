import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import { isAddressLiteral } from './address-policy.js';
import { normalizeHost } from './allowlist.js';
import { OutboundAnswerError, OutboundTooLargeError } from './errors.js';
import { guardedLookup } from './guarded-lookup.js';
import { assertAddressAllowed, type OutboundPolicy } from './policy.js';

// The one HTTP client for calls Latch makes on its own (on-call providers, Slack, webhooks). Invariants: every
// hop, redirects included, connects only to an address the policy allows, checked after resolution on the
// address used (an IP literal is checked as written: no lookup happens for it); a fresh connection per hop, so
// no pooled socket opened for another purpose is reused; redirects are followed by hand, at most
// `maxRedirects`, only to http(s), and the Authorization header never goes to another origin; the caller's
// signal bounds the whole exchange; no body grows past `maxBytes`.

export interface OutboundRequest {
  url: string | URL;
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  headers?: Record<string, string>;
  body?: string;
  /** Aborts the whole exchange, redirects and body included. */
  signal: AbortSignal;
  /** Redirects followed at most (GET only); a redirect beyond that is an OutboundAnswerError. */
  maxRedirects: number;
  /** Body bytes accepted at most, counted as they arrive. */
  maxBytes: number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** The final answer; its body is a stream the caller reads (or cancels). */
export async function guardedFetch(policy: OutboundPolicy, req: OutboundRequest): Promise<Response> {
  const method = req.method ?? 'GET';
  const origin = new URL(req.url).origin;
  let url = new URL(req.url);
  for (let hop = 0; ; hop++) {
    const sameOrigin = url.origin === origin;
    const headers = Object.fromEntries(
      Object.entries(req.headers ?? {}).filter(([k]) => sameOrigin || k.toLowerCase() !== 'authorization'),
    );
    const res = await send(policy, url, method, headers, req.body, req.signal);
    const status = res.statusCode ?? 0;
    if (!REDIRECTS.has(status)) return toResponse(res, req.maxBytes);
    res.destroy();
    if (method !== 'GET')
      throw new OutboundAnswerError(`redirect (HTTP ${status}) after a ${method}, not followed`, status);
    if (hop >= req.maxRedirects)
      throw new OutboundAnswerError(`more than ${req.maxRedirects} redirects`, status);
    url = redirectTarget(res, url, status);
  }
}

function send(
  policy: OutboundPolicy,
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
  signal: AbortSignal,
): Promise<IncomingMessage> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return Promise.reject(new TypeError(`unsupported protocol ${url.protocol}`));
  const host = normalizeHost(url.hostname);
  try {
    if (isAddressLiteral(host)) assertAddressAllowed(policy.allow, host, host);
  } catch (err) {
    return Promise.reject(err);
  }
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname: host,
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method,
        headers,
        signal,
        agent: false,
        lookup: guardedLookup(policy),
      },
      resolve,
    );
    req.on('error', reject);
    req.end(body);
  });
}

function redirectTarget(res: IncomingMessage, from: URL, status: number): URL {
  let next: URL | undefined;
  try {
    next = res.headers.location ? new URL(res.headers.location, from) : undefined;
  } catch {
    /* reported below */
  }
  if (!next || (next.protocol !== 'http:' && next.protocol !== 'https:'))
    throw new OutboundAnswerError(`redirect (HTTP ${status}) to no usable http(s) address`, status);
  return next;
}

const NULL_BODY = new Set([204, 205, 304]);

function toResponse(res: IncomingMessage, maxBytes: number): Response {
  const status = res.statusCode ?? 0;
  const headers = new Headers();
  try {
    for (let i = 0; i + 1 < res.rawHeaders.length; i += 2)
      headers.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
    if (status < 200 || status > 599) throw new RangeError(`HTTP status ${status}`);
  } catch (err) {
    res.destroy();
    throw new OutboundAnswerError(`an unusable answer (${(err as Error).message})`, status);
  }
  if (NULL_BODY.has(status)) {
    res.destroy();
    return new Response(null, { status, headers });
  }
  let total = 0;
  const body = (Readable.toWeb(res) as ReadableStream<Uint8Array>).pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        total += chunk.byteLength;
        if (total > maxBytes) controller.error(new OutboundTooLargeError(maxBytes));
        else controller.enqueue(chunk);
      },
    }),
  );
  return new Response(body, { status, statusText: res.statusMessage ?? '', headers });
}
