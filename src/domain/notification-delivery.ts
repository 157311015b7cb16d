// What happens to a notice after a delivery attempt: sent, tried again later (exponential backoff), or given
// up on (the dead-letter list, status `failed`). Pure: the worker passes the attempt count and the clock in.

export interface RetryPolicy {
  /** The wait after the first failed attempt; each further failure doubles it. */
  baseMs: number;
  /** No wait is longer than this. */
  capMs: number;
  /** Attempts after which a notice is given up on. */
  maxAttempts: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseMs: 1_000, capMs: 10 * 60_000, maxAttempts: 8 };

/** The wait after the `attempts`-th failed attempt (1-based): base, 2 x base, 4 x base ... up to the cap. */
export function retryDelayMs(attempts: number, policy: Pick<RetryPolicy, 'baseMs' | 'capMs'>): number {
  const exponent = Math.max(0, Math.min(attempts - 1, 30));
  return Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
}

export type AttemptOutcome =
  | { status: 'sent' }
  | { status: 'skipped'; error: string }
  | { status: 'pending'; nextAttemptAt: Date; error: string }
  | { status: 'failed'; error: string };

export type DeliveryResult = { ok: true } | { ok: false; error: string; permanent?: boolean };

/**
 * Decides a notice's state after attempt number `attempts` ended with `result`. A permanent error (no channel,
 * a malformed address) is not retried: waiting does not make it deliverable.
 */
export function outcomeOf(
  result: DeliveryResult,
  attempts: number,
  now: Date,
  policy: RetryPolicy,
): AttemptOutcome {
  if (result.ok) return { status: 'sent' };
  if (result.permanent) return { status: 'skipped', error: result.error };
  if (attempts >= policy.maxAttempts) return { status: 'failed', error: result.error };
  return {
    status: 'pending',
    nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts, policy)),
    error: result.error,
  };
}

/** Error texts are stored and shown to admins: keep them short and single-line. */
export const errorText = (err: unknown) =>
  (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').slice(0, 500);
