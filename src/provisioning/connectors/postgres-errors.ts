import { TargetError } from '../connector.js';

// How a failure of the target cluster reads to the engine: retryable when the cluster is down, restarting,
// overloaded or slow; final when it refuses (bad password, missing privilege, unknown database). Every message
// passes through `redact`, so a password can never reach an error, a log line or a test result.

/** Node socket and DNS failures: the target may be back later. */
const RETRYABLE_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

/**
 * SQLSTATEs worth retrying: connection exceptions (08), shutdown and restart (57P01-57P03, 57P05), statement
 * timeout (57014), insufficient resources (53), serialization failure, deadlock, lock timeout.
 */
const isRetryableSqlState = (code: string) =>
  code.startsWith('08') ||
  code.startsWith('53') ||
  ['57P01', '57P02', '57P03', '57P05', '57014', '40001', '40P01', '55P03'].includes(code);

/** Failures `pg` and `pg-pool` report without a code: timeouts and lost connections. */
const LOST_OR_SLOW = /timeout|Connection terminated|not queryable|connection error/i;

const codeOf = (err: unknown): string | undefined => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

const isSqlState = (code: string | undefined): code is string => !!code && /^[0-9A-Z]{5}$/.test(code);

/** The connection is gone (the server restarted, or a pooled connection had died): a fresh one may work. */
export function isConnectionLost(err: unknown): boolean {
  const code = codeOf(err);
  if (isSqlState(code)) return code.startsWith('08') || ['57P01', '57P02', '57P03'].includes(code);
  if (code && RETRYABLE_ERRNO.has(code)) return code === 'ECONNRESET' || code === 'EPIPE';
  return err instanceof Error && /Connection terminated unexpectedly|not queryable/i.test(err.message);
}

export function redact(text: string, secret: string): string {
  return secret ? text.split(secret).join('[redacted]') : text;
}

export interface FailureContext {
  /** `host:port` of the target, for messages. */
  where: string;
  /** What was being done: "granting ...", "connecting". */
  doing: string;
  /** What the login role lacks when the target answers 42501 (insufficient privilege). */
  privilegeHint: string;
  password: string;
}

/** A TargetError for a failure of the target; anything else (a defect) is returned unchanged. */
export function toTargetError(err: unknown, ctx: FailureContext): unknown {
  if (err instanceof TargetError || !(err instanceof Error)) return err;
  const code = codeOf(err);
  const say = (reason: string, retryable: boolean) =>
    new TargetError(
      redact(`PostgreSQL at ${ctx.where}: ${ctx.doing} failed: ${reason}`, ctx.password),
      retryable,
      {
        cause: err,
      },
    );
  if (isSqlState(code)) {
    if (code === '42501') return say(`${err.message} (${ctx.privilegeHint})`, false);
    if (code === '28P01' || code === '28000')
      return say(`${err.message} (check the user and password)`, false);
    return say(`${err.message} [${code}]`, isRetryableSqlState(code));
  }
  if (code === 'ECONNREFUSED') return say('connection refused (is the server running and listening?)', true);
  if (code && RETRYABLE_ERRNO.has(code)) return say(`${err.message} [${code}]`, true);
  // TLS: a certificate that does not verify or a server without TLS will not fix itself.
  if ((code && /CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO/.test(code)) || /SSL|TLS|certificate/i.test(err.message))
    return say(`TLS: ${err.message}`, false);
  if (LOST_OR_SLOW.test(err.message)) return say(err.message, true);
  return err;
}

/** A message for an admin, from any failure (test() must answer, never throw). */
export function describeFailure(err: unknown, ctx: FailureContext): string {
  const mapped = toTargetError(err, ctx);
  if (mapped instanceof TargetError) return mapped.message;
  const message = mapped instanceof Error ? mapped.message : String(mapped);
  return redact(`PostgreSQL at ${ctx.where}: ${ctx.doing} failed unexpectedly: ${message}`, ctx.password);
}
