import { REMINDER_RULES } from '../domain/reminders.js';
import type { OpsDeps } from '../ops/shared/deps.js';
import { expireDueGrants, type ProcessedItem } from '../ops/grants/expire.js';
import { expireRequests, nextLapseAt } from '../ops/requests/expire.js';
import { recordGrantStarts } from '../ops/grants/record-starts.js';
import { sendGrantReminders } from '../ops/grants/send-reminders.js';
import { nextExpiryAt, nextReminderAt, nextStartAt } from '../ops/grants/due.js';
import { pruneSource } from './prune-source.js';
import { accessReviewSources } from './access-review-sources.js';

// Everything that falls due at a time, as the time engine sees it. A source answers when its next piece of
// work is due and does a batch of what is due now. Features add theirs to the registry (on-call shift
// boundaries, pending-request expiry): the scheduler needs nothing else.

export type { ProcessedItem };

/** What one call did: how many pieces of work, and which (when the source can say). */
export interface DueBatch {
  count: number;
  items: ProcessedItem[];
}
const batchOf = (items: ProcessedItem[]): DueBatch => ({ count: items.length, items });

export interface DueSource {
  name: string;
  /** When the earliest piece of work falls due (possibly already past); null when there is none. */
  nextDueAt(deps: OpsDeps, now: Date): Promise<Date | null>;
  /** Does up to `limit` due pieces of work (or all), each exactly once across processes; says what it did. */
  processDue(deps: OpsDeps, now: Date, limit: number): Promise<DueBatch>;
  /** Which committed events may bring its next due time forward (the scheduler re-arms on them). */
  wakesOn?: (eventType: string) => boolean;
  /**
   * For work that may be done a little late: the shortest time between two runs of the source, and between two
   * askings after wakes. A steady stream of due times then costs one query per interval, not one per item.
   */
  spacingMs?: number;
}

// A shortened grant may now end before the time the sources last answered.
const grantCreated = (type: string) => type === 'grant.created' || type === 'grant.shortened';

export const grantExpirySource: DueSource = {
  name: 'grant-expiry',
  nextDueAt: (deps) => nextExpiryAt(deps),
  processDue: async (deps, now, limit) => batchOf(await expireDueGrants(deps, limit, now)),
  wakesOn: grantCreated,
};

export const grantStartSource: DueSource = {
  name: 'grant-start',
  nextDueAt: (deps) => nextStartAt(deps),
  processDue: async (deps, now, limit) => batchOf(await recordGrantStarts(deps, limit, now)),
  wakesOn: grantCreated,
};

/**
 * How late a reminder may be sent. Finding the next reminder scans the grants that end soon: on a large store
 * with grants ending every second, asking after each one kept the database busy (three rules, 0.1 to 0.6 s per
 * scan). A reminder an hour ahead that comes half a minute late says the same thing.
 */
export const REMINDER_SPACING_MS = 30_000;

export const reminderSources: DueSource[] = REMINDER_RULES.map((rule) => ({
  name: `grant-reminder:${rule.kind}`,
  nextDueAt: (deps, now) => nextReminderAt(deps, rule, now),
  processDue: async (deps, now, limit) => batchOf(await sendGrantReminders(deps, rule, limit, now)),
  wakesOn: grantCreated,
  spacingMs: REMINDER_SPACING_MS,
}));

/** Pending requests past their deadline lapse (`request.expired`, dated at the deadline). */
export const requestLapseSource: DueSource = {
  name: 'request-lapse',
  nextDueAt: (deps) => nextLapseAt(deps),
  // expireRequests works through everything due in batches of its own and reports a count.
  processDue: async (deps) => ({ count: await expireRequests(deps), items: [] }),
  wakesOn: (type) => type === 'request.created',
};

/** The registry: every source the time engine serves, in the order it processes them. */
export const dueSources: DueSource[] = [
  grantExpirySource,
  grantStartSource,
  ...reminderSources,
  requestLapseSource,
  ...accessReviewSources,
  pruneSource,
];
