import { randomBytes } from 'node:crypto';
import { DEFAULT_RETRY_POLICY } from '../domain/notification-delivery.js';
import type { OpsDeps } from '../ops/shared/deps.js';
import {
  anyAuditStreams,
  leaseStreams,
  nextAuditStreamRetryAt,
  streamChannel,
  type StreamOptions,
} from '../ops/audit/stream.js';
import { WakeLoop } from './wake-loop.js';

// Runs the audit streams: poked when events commit (here or, through the access sync, in another process),
// woken for retries, and a backstop scan. Channels stream in parallel; each channel's events go in order.

export interface EventStreamOptions {
  timeoutMs?: number;
  retry?: { baseMs?: number; capMs?: number };
  maxSleepMs?: number;
  onError?: (err: unknown) => void;
}

export class EventStreamWorker {
  private readonly loop: WakeLoop;
  private readonly opts: StreamOptions;
  /** Whether any stream exists, so that a server without one does not query for them on every commit. */
  private hasStreams = true;

  constructor(
    private readonly deps: OpsDeps,
    options: EventStreamOptions = {},
  ) {
    const timeoutMs = options.timeoutMs ?? 10_000;
    this.opts = {
      owner: `proc_${randomBytes(8).toString('hex')}`,
      leaseMs: timeoutMs * 3 + 5_000,
      timeoutMs,
      retry: { ...DEFAULT_RETRY_POLICY, ...options.retry },
      pageSize: 100,
    };
    this.loop = new WakeLoop(() => this.run(), {
      maxSleepMs: options.maxSleepMs ?? 30_000,
      now: () => deps.now().getTime(),
      ...(options.onError ? { onError: options.onError } : {}),
    });
  }

  start(): void {
    this.loop.poke();
  }

  poke(events?: readonly { type: string }[]): void {
    if (events?.some((e) => e.type.startsWith('notification_channel.'))) this.hasStreams = true;
    if (this.hasStreams) this.loop.poke();
  }

  private async run(): Promise<Date | null> {
    const cursors = await leaseStreams(this.deps, this.opts);
    if (cursors.length === 0) this.hasStreams = await anyAuditStreams(this.deps);
    const more = await Promise.all(cursors.map((c) => streamChannel(this.deps, c, this.opts)));
    if (more.some(Boolean)) return this.deps.now();
    return nextAuditStreamRetryAt(this.deps);
  }

  close(): Promise<void> {
    return this.loop.close();
  }
}
