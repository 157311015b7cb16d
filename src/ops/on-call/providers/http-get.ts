import { AppError } from '../../../domain/errors.js';
import {
  OutboundAnswerError,
  OutboundRefusedError,
  OutboundTooLargeError,
} from '../../shared/outbound/errors.js';
import { guardedFetch } from '../../shared/outbound/http-request.js';
import { PUBLIC_ONLY, type OutboundPolicy } from '../../shared/outbound/policy.js';
import { VERSION } from '../../../version.js';
import { ProviderError, type ProviderErrorKind } from './provider-error.js';
import { providerMessage, readCapped } from './response-body.js';

// The one GET every on-call provider client makes, through the guarded outbound client (destinations the
// policy allows, checked after resolution and at every redirect; redirects by hand, at most `maxRedirects`,
// only to http(s), credentials never sent to another origin). Invariants: one deadline covers the whole
// exchange (redirects and body included); no body larger than the cap is ever buffered; every failure is a
// ProviderError whose message, in Latch's words, names what was asked and the host, never the full URL or a
// secret; what the provider itself said goes apart, in its `detail`.

export interface FetchOptions {
  /** Deadline for the whole exchange, in milliseconds. */
  timeoutMs?: number;
  /** Largest response body accepted, in bytes; enforced while streaming. */
  maxBytes?: number;
  maxRedirects?: number;
  /** Where calls may go; public destinations only unless given. */
  outbound?: OutboundPolicy;
}

export interface GetRequest {
  url: string;
  /** What is fetched, in an operator's words ("PagerDuty on-calls of schedule P123"). Must hold no secret. */
  what: string;
  headers?: Record<string, string>;
  /** Values that must never appear in a message, even when a provider echoes them back. */
  secrets?: string[];
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
export const DEFAULT_MAX_REDIRECTS = 3;

/** An absolute http(s) URL from configuration, or a validation error naming the field (never the value). */
export function httpUrl(raw: string, field: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    /* reported below */
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    throw new AppError('validation_failed', `${field} must be an absolute http or https URL`, [
      { field, message: 'must be an absolute http or https URL' },
    ]);
  return url;
}

type Fail = (
  kind: ProviderErrorKind,
  problem: string,
  details?: { status?: number; retryAfterMs?: number; detail?: string },
) => ProviderError;

export async function getText(req: GetRequest, opts: FetchOptions = {}): Promise<string> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const signal = AbortSignal.timeout(timeoutMs);
  const host = new URL(req.url).host;
  const fail: Fail = (kind, problem, details = {}) => {
    const { detail, ...rest } = details;
    return new ProviderError(
      kind,
      redact(`Could not fetch ${req.what} from ${host}: ${problem}`, req.secrets),
      {
        ...rest,
        ...(detail ? { detail: redact(detail, req.secrets) } : {}),
      },
    );
  };
  try {
    const res = await guardedFetch(opts.outbound ?? PUBLIC_ONLY, {
      url: req.url,
      headers: { 'user-agent': `Latch/${VERSION}`, ...req.headers },
      signal,
      maxRedirects: opts.maxRedirects ?? DEFAULT_MAX_REDIRECTS,
      maxBytes,
    });
    if (!res.ok) throw await statusError(res, fail);
    return await readCapped(res, maxBytes, (limit) =>
      fail('too_large', `the answer is larger than ${limit} bytes`),
    );
  } catch (err) {
    if (err instanceof ProviderError) throw err;
    throw outboundError(err, signal, timeoutMs, fail);
  }
}

export async function getJson(req: GetRequest, opts: FetchOptions = {}): Promise<unknown> {
  const text = await getText(req, opts);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const host = new URL(req.url).host;
    throw new ProviderError(
      'bad_response',
      `Could not read ${req.what} from ${host}: the answer is not JSON`,
    );
  }
}

async function statusError(res: Response, fail: Fail): Promise<ProviderError> {
  const status = res.status;
  // The provider's own words help an operator; a failure to read them must not hide the status.
  const said = await readCapped(res, 64 * 1024, () => new Error('long')).then(providerMessage, () => '');
  const http = `HTTP ${status}`;
  const details = { status, detail: said };
  if (status === 401 || status === 403)
    return fail('unauthorized', `the credentials were refused (${http})`, details);
  if (status === 404) return fail('not_found', `it does not exist (${http})`, details);
  if (status === 429) {
    const retryAfterMs = retryAfter(res.headers);
    const when = retryAfterMs === undefined ? '' : `; retry after ${Math.ceil(retryAfterMs / 1000)} s`;
    return fail('rate_limited', `too many requests (${http})${when}`, { ...details, retryAfterMs });
  }
  if (status >= 500) return fail('unreachable', `the provider failed (${http})`, details);
  return fail('bad_response', `the request was refused (${http})`, details);
}

/** Retry-After in seconds or as an HTTP date; Opsgenie names its throttle period in its own header. */
function retryAfter(headers: Headers): number | undefined {
  const value = headers.get('retry-after') ?? headers.get('x-ratelimit-period-in-sec');
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function outboundError(err: unknown, signal: AbortSignal, timeoutMs: number, fail: Fail): ProviderError {
  if (err instanceof OutboundRefusedError) return fail('refused', err.message);
  if (err instanceof OutboundAnswerError) return fail('bad_response', err.problem, { status: err.status });
  if (err instanceof OutboundTooLargeError) return fail('too_large', err.message);
  if (signal.aborted) return fail('timeout', `no complete answer within ${timeoutMs} ms`);
  const code = (err as { code?: unknown })?.code;
  return fail('unreachable', `the connection failed${typeof code === 'string' ? ` (${code})` : ''}`);
}

function redact(message: string, secrets: string[] = []): string {
  let out = message;
  for (const secret of secrets) if (secret) out = out.split(secret).join('[redacted]');
  return out;
}
