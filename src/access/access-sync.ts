import type { StoreDb } from '../store/handles.js';
import type { ChainedEvent } from '../domain/audit-chain.js';
import { assetRowsByIds, liveAssetRows } from '../store/assets.js';
import { listEvents, readAuditHead } from '../store/events.js';
import { grantRowsByIds } from '../store/grants.js';
import {
  allUserStates,
  liveGrantColumns,
  liveGroupIds,
  liveResourceLevels,
  userStatesByIds,
} from '../store/index-feed.js';
import { AccessIndex } from './access-index.js';
import { effectOf, endedGrant, type FollowedSubject } from './event-effects.js';
import { edgeFact, grantFact } from './facts-from-rows.js';
import { IndexFreshness } from './index-freshness.js';
import { KnownIds } from './known-ids.js';
import { ListenConnection } from '../store/listen-connection.js';

/** The channel every committed event is announced on (pg_notify in the writing transaction, with its seq). */
const EVENTS_CHANNEL = 'latch_events';

export interface AccessSyncOptions {
  db: StoreDb;
  /** PostgreSQL only: LISTEN on its own connection so other processes' changes arrive within milliseconds. */
  listenUrl?: string | undefined;
  /**
   * Backstop poll, so a lost notification can only delay, never lose. While the LISTEN connection is down (and
   * the log can be read) the poll is what brings other processes' changes, so it runs every
   * LISTEN_LOST_POLL_MS instead until the connection is back.
   */
  pollIntervalMs?: number;
  /** How far behind the log the index may be before its answers are refused (LATCH_MAX_INDEX_LAG_MS). */
  maxLagMs?: number;
  onEvents?: (events: ChainedEvent[]) => void;
  onError?: (err: unknown) => void;
}

/** How often the log is read while the LISTEN connection is down: others' revocations arrive this late at most. */
export const LISTEN_LOST_POLL_MS = 100;
const RETRY_FIRST_MS = 100;
const RETRY_MAX_MS = 2_000;

/**
 * Keeps an access index equal to the store. The audit log is the change feed: every change writes its events
 * in its own transaction while holding the chain's head row, so event seqs commit in order and "everything after
 * the last seq applied" is exactly what this process has not seen. Applying re-reads the rows the events name,
 * so it is idempotent and order-safe.
 *
 * A catch-up that fails (the database restarting, a connection lost) never blocks the next one: it is retried
 * with backoff, and meanwhile `freshness` says whether the index may still answer (see IndexFreshness).
 */
export class AccessSync {
  readonly index: AccessIndex;
  readonly known: KnownIds;
  readonly freshness: IndexFreshness;
  private lastSeq: number;
  private running: Promise<void> = Promise.resolve();
  private pending = false;
  private listener: ListenConnection | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelayMs = RETRY_FIRST_MS;
  private closed = false;

  private constructor(
    private readonly opts: AccessSyncOptions,
    index: AccessIndex,
    known: KnownIds,
    lastSeq: number,
  ) {
    this.index = index;
    this.known = known;
    this.lastSeq = lastSeq;
    this.freshness = new IndexFreshness(opts.maxLagMs ?? 2000, lastSeq);
  }

  static async start(opts: AccessSyncOptions): Promise<AccessSync> {
    // Read the head first: anything committed after it is applied by the first catch-up, twice at worst.
    const head = await readAuditHead(opts.db);
    const now = new Date();
    const [grants, edges, users, groups, resources] = await Promise.all([
      liveGrantColumns(opts.db, now),
      liveAssetRows(opts.db),
      allUserStates(opts.db),
      liveGroupIds(opts.db),
      liveResourceLevels(opts.db),
    ]);
    const index = AccessIndex.build({
      grants,
      edges: edges.map(edgeFact),
      suspendedUserIds: users.filter((u) => u.suspended).map((u) => u.id),
    });
    const known = new KnownIds();
    for (const u of users) known.setUser(u.id, true);
    for (const g of groups) known.setGroup(g, true);
    for (const r of resources) known.setResource(r.id, r.accessLevels);
    const sync = new AccessSync(opts, index, known, Number(head.seq));
    if (opts.listenUrl) {
      sync.listener = new ListenConnection(opts.listenUrl, EVENTS_CHANNEL, {
        onNotification: (payload) => {
          const seq = Number(payload);
          if (Number.isSafeInteger(seq)) sync.freshness.noteCommitted(seq);
          sync.catchUpQuietly();
        },
        // Anything committed while nobody listened is read now.
        onConnected: () => sync.catchUpQuietly(),
        // From now on the poll is what brings others' changes: it starts polling often at once.
        onLost: () => sync.schedulePoll(),
        onError: (err) => opts.onError?.(err),
      });
      await sync.listener.start();
    }
    sync.schedulePoll();
    return sync;
  }

  get appliedSeq() {
    return this.lastSeq;
  }

  /** True while a LISTEN connection brings other processes' commits (PostgreSQL only). */
  get listening(): boolean {
    return this.listener?.listening ?? false;
  }

  /**
   * Applies everything committed so far. Concurrent callers share one run plus at most one follow-up; a run that
   * failed does not fail the ones after it. `committed` are the events this process has just committed: when
   * they directly follow the last applied seq, nothing can precede them unseen (seqs commit in order), so they
   * are applied as they are, without reading them back; later commits arrive by notification or poll as always.
   */
  catchUp(committed?: readonly ChainedEvent[]): Promise<void> {
    const last = committed?.[committed.length - 1]?.seq;
    if (last !== undefined) this.freshness.noteCommitted(last);
    if (this.pending) return this.running;
    this.pending = true;
    this.running = this.running
      .catch(() => undefined)
      .then(async () => {
        this.pending = false;
        try {
          if (!(committed && (await this.applyCommitted(committed)))) await this.applyNewEvents();
          this.freshness.noteCaughtUp(this.lastSeq);
          this.retryDelayMs = RETRY_FIRST_MS;
        } catch (err) {
          this.freshness.noteFailure(err);
          this.scheduleRetry();
          throw err;
        }
      });
    return this.running;
  }

  /** A catch-up whose failure is reported, not thrown: it is retried on its own. */
  catchUpQuietly(committed?: readonly ChainedEvent[]): void {
    this.catchUp(committed).catch((err: unknown) => this.opts.onError?.(err));
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

  /** Reads and applies the log after the last applied seq, to its end as of the last page read. */
  private async applyNewEvents() {
    for (;;) {
      const events = await listEvents(this.opts.db, { afterSeq: this.lastSeq, limit: 1000 });
      if (events.length === 0) return;
      await this.apply(events);
      this.lastSeq = events[events.length - 1]!.seq;
      this.freshness.noteCommitted(this.lastSeq);
      this.opts.onEvents?.(events);
      if (events.length < 1000) return;
    }
  }

  private async apply(events: readonly ChainedEvent[]) {
    const ids: Record<FollowedSubject, Set<string>> = {
      grant: new Set(),
      asset: new Set(),
      user: new Set(),
      group: new Set(),
      resource: new Set(),
    };
    const ended = new Map<string, number>();
    for (const e of events) {
      const effect = effectOf(e);
      if (effect.kind === 'none') continue;
      if (effect.kind === 'grant_ended') {
        const g = endedGrant(e);
        if (g) ended.set(g.grantId, g.endsAt);
        else for (const s of e.subjects) if (s.type === 'grant') ids.grant.add(s.id);
        continue;
      }
      for (const s of e.subjects)
        if ((effect.subjects as readonly string[]).includes(s.type)) ids[s.type as FollowedSubject].add(s.id);
    }
    // An expiry is read back only if another event of the batch names the grant, or if its end is still
    // ahead by this clock (the row is then re-read and kept until that end, as any other change would be).
    const readNow = Date.now();
    for (const [grantId, endsAt] of ended) {
      if (ids.grant.has(grantId)) continue;
      if (endsAt <= readNow) this.index.removeGrant(grantId);
      else ids.grant.add(grantId);
    }
    if (Object.values(ids).every((s) => s.size === 0)) return;
    const db = this.opts.db;
    const [grants, assets, users, groups, resources] = await Promise.all([
      grantRowsByIds(db, [...ids.grant]),
      assetRowsByIds(db, [...ids.asset]),
      userStatesByIds(db, [...ids.user]),
      liveGroupIds(db, [...ids.group]),
      liveResourceLevels(db, [...ids.resource]),
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
    for (const u of users) {
      this.known.setUser(u.id, true);
      this.index.setUserSuspended(u.id, u.suspended);
    }
    const liveGroups = new Set(groups);
    for (const id of ids.group) this.known.setGroup(id, liveGroups.has(id));
    const levels = new Map(resources.map((r) => [r.id, r.accessLevels]));
    for (const id of ids.resource) this.known.setResource(id, levels.get(id));
  }

  private scheduleRetry() {
    if (this.closed || this.retryTimer) return;
    const delay = this.retryDelayMs;
    this.retryDelayMs = Math.min(delay * 2, RETRY_MAX_MS);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.catchUpQuietly();
    }, delay);
    this.retryTimer.unref();
  }

  /** (Re)starts the poll timer, its interval chosen by whether notifications can arrive now. */
  private schedulePoll() {
    const interval = this.opts.pollIntervalMs ?? 1000;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    if (interval <= 0 || this.closed) return;
    // Failing catch-ups are retried with their own backoff; a fast poll would only repeat the failure.
    const listenLost = this.listener !== undefined && !this.listener.listening && !this.freshness.failing;
    this.pollTimer = setTimeout(
      () => {
        this.catchUpQuietly();
        this.schedulePoll();
      },
      listenLost ? Math.min(interval, LISTEN_LOST_POLL_MS) : interval,
    );
    this.pollTimer.unref();
  }

  async close() {
    this.closed = true;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.running.catch(() => undefined);
    await this.listener?.close();
  }
}
