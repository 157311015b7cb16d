import { randomBytes } from 'node:crypto';
import { TargetError, type Connector } from '../domain/connections/connector.js';
import {
  anyConnectionsExist,
  engineConnection,
  finishConnectionSync,
  leaseOperations,
  leaseSyncs,
  linkedRemoteItems,
  nextOperationAt,
  nextSyncDue,
  planLinkedItems,
  recordDriftReverted,
  recordObservation,
  recordOutcomes,
  releaseOperations,
  type DriftToRevert,
  type EngineConnection,
  type Operation,
  type PlanMemo,
  type RetryPolicy,
} from '../ops/connections/index.js';
import type { OpsDeps } from '../ops/shared/deps.js';
import { WakeLoop } from '../jobs/wake-loop.js';
import { applyOperations, revokeOptions } from './apply-operation.js';

// The provisioning engine: after every commit that may change who should be in a linked remote item, it plans
// (desired state from the access index, written as wishes), then applies the outbox's due operations, each
// connection in a lane of its own so that a slow or dead target delays nobody else; and it reconciles each
// connection every `syncMinutes` (or when asked), reading the target and handling drift. Safe to run in several
// replicas on one database: operations and syncs are leased, and every step is idempotent in the target.

export interface ProvisioningOptions {
  /** How long a leased operation or sync is held before another replica may take it over (ms). */
  leaseMs?: number;
  /** Operations leased per round. */
  batch?: number;
  /** Calls in flight per connection. */
  concurrency?: number;
  retry?: RetryPolicy;
  maxSleepMs?: number;
  onError?: (err: unknown) => void;
}

/** Events after which an item's accounts may differ although its members do not (see PlanMemo). */
const ACCOUNTS_CHANGED =
  /^(connection\.(created|updated|deleted|account_set)$|user\.|group\.(updated|deleted)$|resource\.(updated|deleted)$)/;

/** Events after which nothing about who should be a member can have changed: the engine's own, and reads. */
const QUIET =
  /^(provisioning\.|drift\.|connection\.(synced|tested)$|authorization\.|notification_channel\.tested)/;

/** Batches of outcomes a connection's worker may have being recorded while it applies the next. */
const RECORDS_IN_FLIGHT = 3;

/**
 * How many batches a lane leases at once from a connection whose connector changes many accounts in one
 * statement: it applies them in far fewer statements, well within the lease. Others lease one batch at a time
 * (applied one by one, a few hundred a second, a larger lease could run out while held).
 */
const WIDE_LEASE = 5;

export class ProvisioningEngine {
  private readonly loop: WakeLoop;
  private readonly owner = `proc_${randomBytes(8).toString('hex')}`;
  private readonly opts: Required<Omit<ProvisioningOptions, 'onError'>>;
  private planNeeded = true;
  private readonly lanes = new Set<string>();
  private readonly syncing = new Set<string>();
  private readonly connectors = new Map<string, { version: string; connector: Connector }>();
  private readonly running = new Set<Promise<void>>();
  private readonly memo: PlanMemo = new Map();
  /** Whether any connection exists (undefined: to be looked up), so a server without one does no work per commit. */
  private connections: boolean | undefined;
  private closed = false;

  constructor(
    private readonly deps: OpsDeps,
    private readonly options: ProvisioningOptions = {},
  ) {
    this.opts = {
      leaseMs: options.leaseMs ?? 60_000,
      batch: options.batch ?? 1000,
      concurrency: options.concurrency ?? 8,
      retry: options.retry ?? { baseMs: 1_000, capMs: 30_000 },
      maxSleepMs: options.maxSleepMs ?? 30_000,
    };
    this.loop = new WakeLoop(() => this.run(), {
      maxSleepMs: this.opts.maxSleepMs,
      now: () => deps.now().getTime(),
      ...(options.onError ? { onError: options.onError } : {}),
    });
  }

  start(): void {
    this.loop.poke();
  }

  /** Told of committed events (here or in another replica): plans again unless they cannot change membership. */
  poke(events?: readonly { type: string }[]): void {
    if (!events || events.some((e) => !QUIET.test(e.type))) this.planNeeded = true;
    if (!events || events.some((e) => ACCOUNTS_CHANGED.test(e.type))) this.memo.clear();
    if (!events || events.some((e) => e.type === 'connection.created' || e.type === 'connection.deleted'))
      this.connections = undefined;
    this.loop.poke();
  }

  private async run(): Promise<Date | null> {
    this.connections ??= await anyConnectionsExist(this.deps);
    if (!this.connections && this.lanes.size === 0 && this.syncing.size === 0) return null;
    if (this.planNeeded) {
      this.planNeeded = false;
      try {
        await planLinkedItems(this.deps, { memo: this.memo });
      } catch (err) {
        this.planNeeded = true;
        throw err;
      }
    }
    const ops = await leaseOperations(this.deps, this.owner, this.opts.leaseMs, this.opts.batch, {
      busy: [...this.lanes],
    });
    const byConnection = new Map<string, Operation[]>();
    for (const op of ops)
      byConnection.set(op.connectionId, [...(byConnection.get(op.connectionId) ?? []), op]);
    for (const [id, list] of byConnection) {
      this.lanes.add(id);
      this.spawn(this.lane(id, list), () => this.lanes.delete(id));
    }
    for (const id of await leaseSyncs(this.deps, this.owner, this.opts.leaseMs)) {
      if (this.syncing.has(id)) continue;
      this.syncing.add(id);
      this.spawn(this.sync(id), () => this.syncing.delete(id));
    }
    // One after the other: on one pooled connection, not two.
    const op = await nextOperationAt(this.deps, [...this.lanes]);
    const sync = await nextSyncDue(this.deps);
    const next = [op, sync].filter((d): d is Date => d !== null);
    return next.length ? new Date(Math.min(...next.map((d) => d.getTime()))) : null;
  }

  /** Runs work beside the loop; when it ends, the loop runs again (there may be more for that connection). */
  private spawn(work: Promise<void>, done: () => void): void {
    const p = work
      .catch((err: unknown) => this.options.onError?.(err))
      .finally(() => {
        done();
        this.running.delete(p);
        this.loop.poke();
      });
    this.running.add(p);
  }

  private async connection(id: string): Promise<{ c: EngineConnection; connector: Connector } | undefined> {
    const c = await engineConnection(this.deps, id);
    if (!c) return undefined;
    const cached = this.connectors.get(id);
    if (cached?.version === c.version) return { c, connector: cached.connector };
    if (cached) await cached.connector.close().catch(() => undefined);
    const connector = this.deps.connectors!.open(c.kind, c.settings);
    this.connectors.set(id, { version: c.version, connector });
    return { c, connector };
  }

  /**
   * Applies a connection's operations batch after batch. While a batch is applied the next is leased, and its
   * outcomes are recorded while later ones are applied: the target is not kept waiting on the database or the
   * audit log. A batch's rows stay leased until recorded, so no row is applied twice at once, and a row's next
   * step waits for its record.
   */
  private async lane(id: string, first: Operation[]): Promise<void> {
    const conn = await this.connection(id);
    if (!conn) return;
    const recording: Promise<void>[] = [];
    let failure: { err: unknown } | undefined;
    const fail = (err: unknown) => {
      failure ??= { err };
    };
    const { connector } = conn;
    const size =
      connector.addMembers && connector.removeMembers ? this.opts.batch * WIDE_LEASE : this.opts.batch;
    const lease = () => leaseOperations(this.deps, this.owner, this.opts.leaseMs, size, { only: id });
    const record = (results: Awaited<ReturnType<typeof applyOperations>>) => {
      // Recorded a batch per transaction: each holds the audit chain's lock for one batch's events only.
      for (let i = 0; i < results.length; i += this.opts.batch)
        recording.push(
          recordOutcomes(this.deps, this.owner, results.slice(i, i + this.opts.batch), this.opts.retry).catch(
            fail,
          ),
        );
    };
    let ops = first;
    for (;;) {
      const next = ops.length < (ops === first ? this.opts.batch : size) ? Promise.resolve([]) : lease();
      // Settled at once: a lease that fails while this batch is applied is not an unhandled rejection.
      next.catch(fail);
      const results = await applyOperations(
        conn.connector,
        conn.c,
        ops,
        this.opts.concurrency,
        this.options.onError,
      );
      record(results);
      // A few batches recorded beside the one applied (records queue on the audit chain's lock), no more: the
      // pool is shared with everything else.
      while (recording.length > (RECORDS_IN_FLIGHT * size) / this.opts.batch) await recording.shift();
      ops = await next.catch(() => []);
      if (ops.length === 0) break;
      if (failure || this.closed) {
        await releaseOperations(this.deps, this.owner, ops).catch(fail);
        break;
      }
    }
    await Promise.all(recording);
    if (failure) throw failure.err;
  }

  private async sync(id: string): Promise<void> {
    const conn = await this.connection(id);
    if (!conn) return;
    const { c, connector } = conn;
    try {
      await planLinkedItems(this.deps, { connectionId: id });
      const items = await linkedRemoteItems(this.deps, id);
      // With nothing linked there is nothing to read: the target is still asked, so its status is true.
      if (items.length === 0) {
        const reached = await connector.test();
        if (!reached.ok) throw new TargetError(reached.detail, true);
      }
      const observed = new Map<string, string[]>();
      for (const item of items) observed.set(item.remoteId, await connector.members(item.remoteId));
      const drift = await recordObservation(this.deps, c, observed);
      const reverted: DriftToRevert[] = [];
      for (const d of drift) {
        try {
          await connector.removeMember(d.remoteId, d.remoteAccount, revokeOptions(c));
          reverted.push(d);
        } catch (err) {
          if (!(err instanceof TargetError)) throw err;
        }
      }
      await recordDriftReverted(this.deps, c, reverted);
      await finishConnectionSync(this.deps, this.owner, c, {
        ok: true,
        items: items.length,
        reverted: reverted.length,
      });
    } catch (err) {
      const error =
        err instanceof TargetError ? err.message : 'the sync failed inside Latch (see the server log)';
      if (!(err instanceof TargetError)) this.options.onError?.(err);
      await finishConnectionSync(this.deps, this.owner, c, { ok: false, error });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.loop.close();
    await Promise.allSettled([...this.running]);
    await Promise.allSettled([...this.connectors.values()].map((e) => e.connector.close()));
    this.connectors.clear();
  }

  get isClosed(): boolean {
    return this.closed;
  }
}
