import type { ChainedEvent } from '../domain/audit-chain.js';

// What an event can change in the index without reading anything back. Most events are applied by re-reading
// the rows they name; the time engine's records are the bulk of the log after downtime, and they change no
// fact the index holds, because the index evaluates every window at query time.

/** A grant that ended at the end it already had: the index only forgets it, once that end has passed. */
export interface GrantEnded {
  grantId: string;
  endsAt: number;
}

/**
 * `'none'`: nothing to apply. `GrantEnded`: the grant reached its `expiresAt` (the row's `ended_at` is set to
 * exactly that, so its effective end is unchanged). `undefined`: unknown here, so the rows it names are re-read.
 */
export function effectOf(e: ChainedEvent): 'none' | GrantEnded | undefined {
  // A recorded start: the window, start included, was already in the index.
  if (e.type === 'grant.started') return 'none';
  if (e.type !== 'grant.expired') return undefined;
  const grantId = e.subjects.find((s) => s.type === 'grant')?.id;
  const expiresAt = (e.data as { expiresAt?: unknown } | null)?.expiresAt;
  const endsAt = typeof expiresAt === 'string' ? Date.parse(expiresAt) : NaN;
  return grantId === undefined || Number.isNaN(endsAt) ? undefined : { grantId, endsAt };
}
