import type { OpsDeps } from '../ops/shared/deps.js';
import type { DueSource, ProcessedItem } from './due-sources.js';
import { WakeLoop } from './wake-loop.js';

// The time engine: wakes when the earliest piece of due work across all sources falls due (not on a fixed
// tick), does everything due in batches, and goes back to sleep until the next due time. Its first run, at
// start-up, catches up on everything that fell due while no process was running. Several processes may run
// one each: the sources lock what they take, so work is split, never repeated.

export interface SchedulerOptions {
  /** The longest sleep, as a safety scan for changes this process was not told about. Default 30 s. */
  maxSleepMs?: number;
  /** The shortest gap between runs, so a burst of due times is handled in a few batches. Default 100 ms. */
  minGapMs?: number;
  /** Work done per transaction. Default 500. */
  batchSize?: number;
  /** Told after each batch committed: the bench measures lag with it, the outbox worker is poked by it. */
  onProcessed?: (source: string, items: ProcessedItem[], count: number) => void;
  onError?: (err: unknown) => void;
}

/** A source's next due time as last asked (null: nothing to do), and when that was asked. */
interface Known {
  at: Date | null;
  askedAt: number;
  /** Woken since: a spaced source is asked again once its spacing since `askedAt` has passed. */
  stale?: boolean;
}

export class Scheduler {
  private readonly loop: WakeLoop;
  private readonly batchSize: number;
  private readonly maxSleepMs: number;
  /**
   * Due times per source. A source is processed only once its due time has come, and asked again only after
   * that, after an event it wakes on, or once its answer is older than the safety scan: a wake for one
   * source's work costs the others nothing, however slow their queries are.
   */
  private readonly known = new Map<DueSource, Known>();
  /** Bumped by every poke that wakes a source, so an answer asked before the change is not kept after it. */
  private readonly version = new Map<DueSource, number>();
  /** When each spaced source last ran: it runs again no sooner than its spacing after that. */
  private readonly lastRun = new Map<DueSource, number>();

  constructor(
    private readonly deps: OpsDeps,
    private readonly sources: DueSource[],
    private readonly opts: SchedulerOptions = {},
  ) {
    this.batchSize = opts.batchSize ?? 500;
    this.maxSleepMs = opts.maxSleepMs ?? 30_000;
    this.loop = new WakeLoop(() => this.run(), {
      maxSleepMs: this.maxSleepMs,
      minGapMs: opts.minGapMs ?? 100,
      now: () => deps.now().getTime(),
      ...(opts.onError ? { onError: opts.onError } : {}),
    });
  }

  start(): void {
    this.loop.poke();
  }

  /**
   * Re-arms after a change: a grant that expires in a second must not wait for the safety scan. Given the
   * committed events, it re-arms only when one of them can bring a due time forward.
   */
  poke(events?: readonly { type: string }[]): void {
    const woken = events
      ? this.sources.filter((s) => events.some((e) => s.wakesOn?.(e.type) ?? true))
      : this.sources;
    if (woken.length === 0) return;
    for (const source of woken) {
      const known = this.known.get(source);
      if (known && source.spacingMs) known.stale = true;
      else this.known.delete(source);
      this.version.set(source, (this.version.get(source) ?? 0) + 1);
    }
    this.loop.poke();
  }

  /** Does everything due now, source by source, then says when the next piece of work falls due. */
  private async run(): Promise<Date | null> {
    let firstError: unknown;
    for (const source of this.sources) {
      try {
        if (!(await this.isDue(source))) continue;
        this.known.delete(source);
        if (source.spacingMs) this.lastRun.set(source, this.deps.now().getTime());
        for (;;) {
          const batch = await source.processDue(this.deps, this.deps.now(), this.batchSize);
          if (batch.count > 0) this.opts.onProcessed?.(source.name, batch.items, batch.count);
          if (batch.count < this.batchSize) break;
        }
      } catch (err) {
        // One failing source must not starve the others; the loop retries after a short backoff.
        firstError ??= err;
      }
    }
    if (firstError !== undefined) throw firstError;
    let next: Date | null = null;
    for (const source of this.sources) {
      const at = this.effectiveAt(source, await this.dueTime(source));
      if (at && (next === null || at < next)) next = at;
    }
    return next;
  }

  private async isDue(source: DueSource): Promise<boolean> {
    const at = this.effectiveAt(source, await this.dueTime(source));
    return at !== null && at <= this.deps.now();
  }

  /**
   * When to act for the source: its due time, for a spaced source no sooner than its spacing after its last
   * run; and when a wake's asking was put off, the time to ask, if that comes first.
   */
  private effectiveAt(source: DueSource, known: Known): Date | null {
    const spacing = source.spacingMs ?? 0;
    let at = known.at?.getTime() ?? null;
    const last = this.lastRun.get(source);
    if (at !== null && last !== undefined && at < last + spacing) at = last + spacing;
    if (known.stale) {
      const askAt = known.askedAt + spacing;
      if (at === null || askAt < at) at = askAt;
    }
    return at === null ? null : new Date(at);
  }

  /**
   * The source's due time as known, asking it when unknown or older than the safety scan. A spaced source woken
   * by an event is asked again only once its spacing since the last asking has passed.
   */
  private async dueTime(source: DueSource): Promise<Known> {
    const now = this.deps.now();
    const known = this.known.get(source);
    const age = known ? now.getTime() - known.askedAt : Infinity;
    if (known && !known.stale && age < this.maxSleepMs) return known;
    if (known?.stale && age < (source.spacingMs ?? 0)) return known;
    const version = this.version.get(source);
    const fresh = { at: await source.nextDueAt(this.deps, now), askedAt: now.getTime() };
    if (this.version.get(source) === version) this.known.set(source, fresh);
    return fresh;
  }

  close(): Promise<void> {
    return this.loop.close();
  }
}
