import type { Kysely } from 'kysely';
import pg from 'pg';
import type { ChainedEvent } from '../domain/audit-chain.js';
import { assetRowsByIds, liveAssetRows } from '../store/assets.js';
import { listEvents, readAuditHead } from '../store/events.js';
import { grantRowsByIds, liveGrantRows } from '../store/grants.js';
import type { Database } from '../store/schema.js';
import { AccessIndex } from './access-index.js';
import { effectOf } from './event-effects.js';
import { edgeFact, grantFact } from './facts-from-rows.js';

/** The channel every committed event is announced on (pg_notify in the writing transaction). */
export const EVENTS_CHANNEL = 'latch_events';

export interface AccessSyncOptions {
  db: Kysely<Database>;
  /** PostgreSQL only: LISTEN on its own connection so other processes' changes arrive within milliseconds. */
  listenUrl?: string | undefined;
  /** Backstop poll, so a lost notification or a dropped LISTEN connection can only delay, never lose. */
  pollIntervalMs?: number;
  onEvents?: (events: ChainedEvent[]) => void;
  onError?: (err: unknown) => void;
}

/**
 * Keeps an access index equal to the store. The audit log is the change feed: every change writes its events
 * in its own transaction while holding the chain's head row, so event seqs commit in order and "everything after
 * the last seq applied" is exactly what this process has not seen. Applying re-reads the rows the events name,
 * so it is idempotent and order-safe.
 */
export class AccessSync {
  readonly index: AccessIndex;
  private lastSeq: number;
  private running: Promise<void> = Promise.resolve();
  private pending = false;
  private listener: pg.Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(
    private readonly opts: AccessSyncOptions,
    index: AccessIndex,
    lastSeq: number,
  ) {
    this.index = index;
    this.lastSeq = lastSeq;
  }

  static async start(opts: AccessSyncOptions): Promise<AccessSync> {
    // Read the head first: anything committed after it is applied by the first catch-up, twice at worst.
    const head = await readAuditHead(opts.db);
    const now = new Date();
    const [grants, edges, suspended] = await Promise.all([
      liveGrantRows(opts.db, now),
      liveAssetRows(opts.db),
      opts.db.selectFrom('users').select('id').where('status', '=', 'suspended').execute(),
    ]);
    const index = AccessIndex.build({
      grants: grants.map(grantFact),
      edges: edges.map(edgeFact),
      suspendedUserIds: suspended.map((u) => u.id),
    });
    const sync = new AccessSync(opts, index, Number(head.seq));
    if (opts.listenUrl) await sync.listen(opts.listenUrl);
    sync.schedulePoll();
    return sync;
  }

  get appliedSeq() {
    return this.lastSeq;
  }

  /**
   * Applies everything committed so far. Concurrent callers share one run plus at most one follow-up.
   * `committed` are the events this process has just committed: when they directly follow the last applied
   * seq, nothing can precede them unseen (seqs commit in order), so they are applied as they are, without
   * reading them back; later commits arrive by notification or poll as always.
   */
  catchUp(committed?: readonly ChainedEvent[]): Promise<void> {
    if (this.pending) return this.running;
    this.pending = true;
    this.running = this.running.then(async () => {
      this.pending = false;
      if (committed && (await this.applyCommitted(committed))) return;
      await this.applyNewEvents();
    });
    return this.running;
  }

  /** True when `events` are now applied (now or before); false when others' events may come first. */
  private async applyCommitted(events: readonly ChainedEvent[]): Promise<boolean> {
    const first = events[0]?.seq;
    const last = events[events.length - 1]?.seq;
    if (first === undefined || last === undefined) return false;
    if (last <= this.lastSeq) return true;
    if (first !== this.lastSeq + 1 || last - first !== events.length - 1) return false;
    await this.apply(events);
    this.lastSeq = last;
    this.opts.onEvents?.([...events]);
    return true;
  }

  private async applyNewEvents() {
    for (;;) {
      const events = await listEvents(this.opts.db, { afterSeq: this.lastSeq, limit: 1000 });
      if (events.length === 0) return;
      await this.apply(events);
      this.lastSeq = events[events.length - 1]!.seq;
      this.opts.onEvents?.(events);
      if (events.length < 1000) return;
    }
  }

  private async apply(events: readonly ChainedEvent[]) {
    const ids = { grant: new Set<string>(), asset: new Set<string>(), user: new Set<string>() };
    const ended = new Map<string, number>();
    for (const e of events) {
      const effect = effectOf(e);
      if (effect === 'none') continue;
      if (effect) ended.set(effect.grantId, effect.endsAt);
      else for (const s of e.subjects) if (s.type in ids) ids[s.type as keyof typeof ids].add(s.id);
    }
    // An expiry is read back only if another event of the batch names the grant, or if its end is still
    // ahead by this clock (the row is then re-read and kept until that end, as any other change would be).
    const readNow = Date.now();
    for (const [grantId, endsAt] of ended) {
      if (ids.grant.has(grantId)) continue;
      if (endsAt <= readNow) this.index.removeGrant(grantId);
      else ids.grant.add(grantId);
    }
    if (ids.grant.size === 0 && ids.asset.size === 0 && ids.user.size === 0) return;
    const db = this.opts.db;
    const [grants, assets, users] = await Promise.all([
      grantRowsByIds(db, [...ids.grant]),
      assetRowsByIds(db, [...ids.asset]),
      ids.user.size
        ? db
            .selectFrom('users')
            .select(['id', 'status'])
            .where('id', 'in', [...ids.user])
            .execute()
        : [],
    ]);
    const now = Date.now();
    for (const row of grants) {
      const fact = grantFact(row);
      if (fact.endsAt !== null && fact.endsAt <= now) this.index.removeGrant(fact.id);
      else this.index.upsertGrant(fact);
    }
    for (const row of assets) {
      if (row.removed_at) this.index.removeEdge(row.id);
      else this.index.upsertEdge(edgeFact(row));
    }
    for (const u of users) this.index.setUserSuspended(u.id, u.status === 'suspended');
  }

  private async listen(url: string) {
    const client = new pg.Client({ connectionString: url });
    client.on('notification', () => void this.catchUp().catch((err: unknown) => this.opts.onError?.(err)));
    client.on('error', (err) => {
      this.opts.onError?.(err);
      this.listener = undefined;
      void client.end().catch(() => undefined);
      if (!this.closed) setTimeout(() => void this.reconnect(url), 1000).unref();
    });
    await client.connect();
    await client.query(`LISTEN ${EVENTS_CHANNEL}`);
    this.listener = client;
  }

  private async reconnect(url: string) {
    if (this.closed) return;
    try {
      await this.listen(url);
      await this.catchUp();
    } catch (err) {
      this.opts.onError?.(err);
      setTimeout(() => void this.reconnect(url), 2000).unref();
    }
  }

  private schedulePoll() {
    const interval = this.opts.pollIntervalMs ?? 1000;
    if (interval <= 0) return;
    this.timer = setInterval(
      () => void this.catchUp().catch((err: unknown) => this.opts.onError?.(err)),
      interval,
    );
    this.timer.unref();
  }

  async close() {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.running.catch(() => undefined);
    await this.listener?.end().catch(() => undefined);
  }
}
