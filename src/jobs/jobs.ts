import type { OpsDeps } from '../ops/shared/deps.js';
import { auditCheckpointSource } from './audit-checkpoint-source.js';
import { dueSources, type DueSource } from './due-sources.js';
import { EventStreamWorker, type EventStreamOptions } from './event-stream.js';
import { onCallSyncSource } from './on-call-sync-source.js';
import { OutboxWorker, type OutboxWorkerOptions } from './outbox-worker.js';
import { Scheduler, type SchedulerOptions } from './scheduler.js';

// The background workers of one process: the time engine, the outbox delivery and the audit streams. All of
// them are safe to run in several processes on one database at once.

export interface JobOptions {
  scheduler?: SchedulerOptions;
  outbox?: OutboxWorkerOptions;
  stream?: EventStreamOptions;
  /** The time engine's sources; the registry in due-sources.ts by default. Audit checkpoints are always made. */
  sources?: DueSource[];
  /** The shortest time between two audit checkpoints (ms); a minute by default. */
  auditCheckpointIntervalMs?: number;
  /** Sources that wait on the network (on-call fetches), on an engine of their own; [] turns them off. */
  fetchSources?: DueSource[];
  onError?: (err: unknown) => void;
}

export interface Jobs {
  scheduler: Scheduler;
  /** The time engine of fetches (on-call schedules), apart so a slow provider never delays expiries. */
  fetcher: Scheduler;
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
  const checkpoints = auditCheckpointSource(options.auditCheckpointIntervalMs);
  const scheduler = new Scheduler(deps, [...(options.sources ?? dueSources), checkpoints], {
    ...withErrors(options.scheduler),
    onProcessed: (source, items, count) => {
      options.scheduler?.onProcessed?.(source, items, count);
      // Expiries and reminders queue notices; reminders write no event, so nothing else would poke.
      outbox.poke();
      // A checkpoint is no event either: the audit streams carry it to their SIEMs.
      if (source === checkpoints.name) stream.poke();
    },
  });
  const fetcher = new Scheduler(deps, options.fetchSources ?? [onCallSyncSource], {
    ...withErrors(options.scheduler),
    onProcessed: (source, items, count) => options.scheduler?.onProcessed?.(source, items, count),
  });
  outbox.start();
  stream.start();
  scheduler.start();
  fetcher.start();
  let toldSeq = 0;
  return {
    scheduler,
    fetcher,
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
      fetcher.poke(events);
      outbox.poke();
      stream.poke(events);
    },
    async close() {
      await Promise.all([scheduler.close(), fetcher.close(), outbox.close(), stream.close()]);
    },
  };
}
