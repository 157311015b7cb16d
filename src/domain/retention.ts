// How long finished records are kept before the time engine prunes them. The audit log (events) and grants are
// never pruned: they are the history. What goes is bookkeeping whose story the audit log already tells.

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Notices delivered, skipped, or failed for good. A month keeps the dead-letter list (`status=failed`) and
 * recent deliveries inspectable across a holiday; the change each notice announced stays in the audit log.
 */
export const NOTICE_RETENTION_MS = 30 * DAY_MS;

/**
 * Browser sessions, counted from their hard end (12 h after sign-in at most: an idle or revoked session ends
 * sooner, never later). For a week the row answers what the audit log does not record, such as when a session
 * was last used, for whoever looks into a recent sign-in; every session is ended well before it goes, so a
 * pruned cookie can only ever meet the same 401 as an expired one.
 */
export const SESSION_RETENTION_MS = 7 * DAY_MS;

/**
 * Idempotency keys: a day covers any client's retries after an ambiguous failure; a key reused after that
 * creates anew.
 */
export const IDEMPOTENCY_KEY_RETENTION_MS = DAY_MS;

/** Idempotency keys claimed before this instant may be pruned. */
export const idempotencyKeysPrunableBefore = (now: Date) =>
  new Date(now.getTime() - IDEMPOTENCY_KEY_RETENTION_MS);

/** Notices created before this instant and no longer pending may be pruned. */
export const noticesPrunableBefore = (now: Date) => new Date(now.getTime() - NOTICE_RETENTION_MS);

/** Sessions whose hard end is before this instant may be pruned. */
export const sessionsPrunableBefore = (now: Date) => new Date(now.getTime() - SESSION_RETENTION_MS);

/** When a notice created at `createdAt` becomes prunable, once finished; the time engine wakes for it. */
export const noticePrunableAt = (createdAt: Date) => new Date(createdAt.getTime() + NOTICE_RETENTION_MS);

/** When a session ending at `expiresAt` becomes prunable. */
export const sessionPrunableAt = (expiresAt: Date) => new Date(expiresAt.getTime() + SESSION_RETENTION_MS);
