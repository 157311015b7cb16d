import type { OpsDeps } from '../ops/deps.js';
import { dueSources, type DueSource } from './due-sources.js';
import { EventStreamWorker, type EventStreamOptions } from './event-stream.js';
import { OutboxWorker, type OutboxWorkerOptions } from './outbox-worker.js';
import { Scheduler, type SchedulerOptions } from './scheduler.js';

// The background workers of one process: the time engine, the outbox delivery and the audit streams. All of
// them are safe to run in several processes on one database at once.

export interface JobOptions {
  scheduler?: SchedulerOptions;
  outbox?: OutboxWorkerOptions;
  stream?: EventStreamOptions;
  /** The time engine's sources; the registry in due-sources.ts by default. */
  sources?: DueSource[];
  onError?: (err: unknown) => void;
}

export interface Jobs {
  scheduler: Scheduler;
  outbox: OutboxWorker;
  stream: EventStreamWorker;
  /**
   * Tells every worker that these events committed (in this process or another). Events already told about
   * (the same commit arrives from the operation and from the access sync) are ignored.
   */
  poke(events?: readonly { type: string; seq?: number }[]): void;
  close(): Promise<void>;
}

export function startJobs(deps: OpsDeps, options: JobOptions = {}): Jobs {
  const onError = options.onError;
  const withErrors = <T extends object>(o: T | undefined) => ({ ...(onError ? { onError } : {}), ...o });
  const outbox = new OutboxWorker(deps, withErrors(options.outbox));
  const stream = new EventStreamWorker(deps, withErrors(options.stream));
  const scheduler = new Scheduler(deps, options.sources ?? dueSources, {
    ...withErrors(options.scheduler),
    onProcessed: (source, items, count) => {
      options.scheduler?.onProcessed?.(source, items, count);
      // Expiries and reminders queue notices; reminders write no event, so nothing else would poke.
      outbox.poke();
    },
  });
  outbox.start();
  stream.start();
  scheduler.start();
  let toldSeq = 0;
  return {
    scheduler,
    outbox,
    stream,
    poke(events) {
      if (events?.length) {
        const fresh = events.filter((e) => e.seq === undefined || e.seq > toldSeq);
        if (fresh.length === 0) return;
        toldSeq = Math.max(toldSeq, ...fresh.map((e) => e.seq ?? 0));
        events = fresh;
      }
      scheduler.poke(events);
      outbox.poke();
      stream.poke(events);
    },
    async close() {
      await Promise.all([scheduler.close(), outbox.close(), stream.close()]);
    },
  };
}
