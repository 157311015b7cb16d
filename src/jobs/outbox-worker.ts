import {
  DEFAULT_RETRY_POLICY,
  type AttemptOutcome,
  type RetryPolicy,
} from '../domain/notification-delivery.js';
import { claimNotices, deliverNotice } from '../ops/notifications/deliver.js';
import type { OpsDeps } from '../ops/shared/deps.js';
import type { OutboxRow } from '../store/schema.js';
import { WakeLoop } from './wake-loop.js';
import { nextNoticeAt } from '../ops/notifications/deliver.js';

// Delivers the outbox. Poked after every commit (a new notice goes out at once) and woken when the next retry
// falls due; a backstop scan catches notices other processes queued. Claimed notices are delivered outside any
// transaction, several at a time, so one hanging endpoint holds up one slot, never the change that queued it.

export interface OutboxWorkerOptions {
  retry?: Partial<RetryPolicy>;
  /** One delivery's deadline. Default 10 s. */
  timeoutMs?: number;
  /** Deliveries in flight at once. Default 8. */
  concurrency?: number;
  /** The backstop scan. Default 30 s. */
  maxSleepMs?: number;
  onDelivered?: (row: OutboxRow, outcome: AttemptOutcome) => void;
  onError?: (err: unknown) => void;
}

export class OutboxWorker {
  private readonly loop: WakeLoop;
  private readonly policy: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly concurrency: number;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly deps: OpsDeps,
    private readonly opts: OutboxWorkerOptions = {},
  ) {
    this.policy = { ...DEFAULT_RETRY_POLICY, ...opts.retry };
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.concurrency = opts.concurrency ?? 8;
    this.loop = new WakeLoop(() => this.fill(), {
      maxSleepMs: opts.maxSleepMs ?? 30_000,
      now: () => deps.now().getTime(),
      ...(opts.onError ? { onError: opts.onError } : {}),
    });
  }

  start(): void {
    this.loop.poke();
  }

  poke(): void {
    this.loop.poke();
  }

  /** Claims as many due notices as there are free slots and starts delivering them; returns the next due time. */
  private async fill(): Promise<Date | null> {
    const free = this.concurrency - this.inFlight.size;
    // Every slot busy: the next delivery to finish pokes the loop.
    if (free <= 0) return null;
    // A claimed notice stays leased well past its delivery deadline; a process that dies releases it then.
    const rows = await claimNotices(this.deps, free, this.timeoutMs * 3 + 5_000);
    for (const row of rows) this.track(this.deliver(row));
    if (rows.length === free) return this.deps.now();
    return nextNoticeAt(this.deps);
  }

  private track(p: Promise<void>) {
    this.inFlight.add(p);
    void p.finally(() => {
      this.inFlight.delete(p);
      this.loop.poke();
    });
  }

  private async deliver(row: OutboxRow) {
    try {
      const outcome = await deliverNotice(this.deps, row, { policy: this.policy, timeoutMs: this.timeoutMs });
      this.opts.onDelivered?.(row, outcome);
    } catch (err) {
      this.opts.onError?.(err);
    }
  }

  async close(): Promise<void> {
    await this.loop.close();
    await Promise.allSettled([...this.inFlight]);
  }
}
