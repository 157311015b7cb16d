import {
  OutboundAnswerError,
  OutboundRefusedError,
  OutboundTooLargeError,
} from '../../ops/shared/outbound/errors.js';
import { guardedFetch } from '../../ops/shared/outbound/http-request.js';
import type { OutboundPolicy } from '../../ops/shared/outbound/policy.js';
import { VERSION } from '../../version.js';
import { TargetError } from '../connector.js';
import { short } from './scim-resources.js';

// One SCIM exchange through the guarded outbound client. Invariants: every call goes to the configured base URL
// (paths are built here from encoded parts) and no redirect is followed, so the token only ever reaches the
// configured host; one deadline bounds the whole exchange and the answer is capped; every failure is a
// TargetError whose message names the host and the HTTP status, never a URL or the token, and carries at most a
// short, cleaned excerpt of the service's own `detail`.

export const SCIM_MEDIA_TYPE = 'application/scim+json';
export const DEFAULT_TIMEOUT_MS = 15_000;
/** A group with 100,000 members is about 6 MB of SCIM JSON. */
export const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;
const MAX_DETAIL = 160;

export type ScimMethod = 'GET' | 'PATCH' | 'POST';

/** A failure with the HTTP status the service answered, when it answered. */
export class ScimTargetError extends TargetError {
  constructor(
    message: string,
    retryable: boolean,
    readonly status?: number,
    readonly scimType?: string,
    options?: { cause?: unknown },
  ) {
    super(message, retryable, options);
    this.name = 'ScimTargetError';
  }
}

export interface ScimHttpOptions {
  outbound: OutboundPolicy;
  timeoutMs?: number;
  maxBytes?: number;
}

export interface ScimCall {
  method: ScimMethod;
  /** Below the base URL, already encoded: `/Groups/abc?count=1`. */
  path: string;
  body?: unknown;
  /** What is asked, in an admin's words, for messages ("the groups"); never a secret. */
  what: string;
  /** Said instead of the service's words on a 404 ("the remote group abc is gone"). */
  notFound?: string;
}

export class ScimHttp {
  readonly host: string;

  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly options: ScimHttpOptions,
  ) {
    this.host = new URL(baseUrl).host;
  }

  /** The parsed JSON answer (null for an empty one, as a 204 to a PATCH). */
  async call(req: ScimCall): Promise<unknown> {
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const maxBytes = this.options.maxBytes ?? DEFAULT_MAX_BYTES;
    const signal = AbortSignal.timeout(timeoutMs);
    const fail = (problem: string, retryable: boolean, status?: number, scimType?: string, cause?: unknown) =>
      new ScimTargetError(
        `SCIM service at ${this.host}, ${req.what}: ${problem}`,
        retryable,
        status,
        scimType,
        cause === undefined ? undefined : { cause },
      );
    let status: number;
    let text: string;
    try {
      const res = await guardedFetch(this.options.outbound, {
        url: this.baseUrl + req.path,
        // A redirect is never followed here (maxRedirects 0), and never after anything but a GET.
        method: req.method,
        headers: {
          accept: SCIM_MEDIA_TYPE,
          authorization: `Bearer ${this.token}`,
          'user-agent': `Latch/${VERSION}`,
          ...(req.body === undefined ? {} : { 'content-type': SCIM_MEDIA_TYPE }),
        },
        ...(req.body === undefined ? {} : { body: JSON.stringify(req.body) }),
        signal,
        // A SCIM endpoint answers directly; a redirect could only take the token elsewhere.
        maxRedirects: 0,
        maxBytes,
      });
      status = res.status;
      text = await res.text();
    } catch (err) {
      throw this.transportError(err, signal, timeoutMs, fail);
    }
    if (status < 200 || status > 299) throw this.statusError(status, text, req, fail);
    if (text.trim() === '') return null;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw fail(`the answer (HTTP ${status}) is not JSON`, false, status);
    }
  }

  private statusError(status: number, text: string, req: ScimCall, fail: Fail): ScimTargetError {
    const { detail, scimType } = scimErrorOf(text, this.token);
    const said = detail ? `: ${detail}` : '';
    const http = `HTTP ${status}`;
    if (status === 401 || status === 403)
      return fail(`the token was refused (${http})${said}`, false, status, scimType);
    if (status === 404 && req.notFound) return fail(`${req.notFound} (${http})`, false, status, scimType);
    if (status === 429) return fail(`too many requests (${http})${said}`, true, status, scimType);
    if (status >= 500) return fail(`the service failed (${http})${said}`, true, status, scimType);
    if (status >= 300 && status < 400)
      return fail(
        `it answered with a redirect (${http}); configure the address it redirects to`,
        false,
        status,
      );
    return fail(`the request was refused (${http})${said}`, false, status, scimType);
  }

  private transportError(err: unknown, signal: AbortSignal, timeoutMs: number, fail: Fail): ScimTargetError {
    // The guard's refusal names the host and how to allow it; retrying changes nothing until an admin acts.
    if (err instanceof OutboundRefusedError) return fail(err.message, false, undefined, undefined, err);
    if (err instanceof OutboundAnswerError) {
      const redirect = err.status >= 300 && err.status < 400;
      const problem = redirect
        ? `it answered with a redirect (HTTP ${err.status}); configure the address it redirects to`
        : err.problem;
      return fail(problem, false, err.status, undefined, err);
    }
    if (err instanceof OutboundTooLargeError) return fail(err.message, false, undefined, undefined, err);
    if (signal.aborted)
      return fail(`no complete answer within ${timeoutMs} ms`, true, undefined, undefined, err);
    const code = (err as { code?: unknown } | null)?.code;
    const why = typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code) ? ` (${code})` : '';
    // Not the error's message: some name the full URL.
    return fail(`the connection failed${why}`, true, undefined, undefined, err);
  }
}

type Fail = (
  problem: string,
  retryable: boolean,
  status?: number,
  scimType?: string,
  cause?: unknown,
) => ScimTargetError;

/** The `detail` and `scimType` of a SCIM error body (RFC 7644 §3.12): remote text, so short, one line, no token. */
export function scimErrorOf(text: string, token: string): { detail?: string; scimType?: string } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return {};
  }
  if (typeof body !== 'object' || body === null) return {};
  const { detail, scimType } = body as { detail?: unknown; scimType?: unknown };
  const out: { detail?: string; scimType?: string } = {};
  if (typeof detail === 'string') {
    const redacted = token ? detail.split(token).join('[redacted]') : detail;
    const clean = short(redacted.trim(), MAX_DETAIL);
    if (clean) out.detail = clean;
  }
  if (typeof scimType === 'string' && /^[A-Za-z]{1,40}$/.test(scimType)) out.scimType = scimType;
  return out;
}
