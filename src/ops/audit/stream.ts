import { postWebhook } from '../notifications/index.js';
import type { WebhookConfig } from '../../domain/notification-channels.js';
import { retryDelayMs, type RetryPolicy } from '../../domain/notification-delivery.js';
import { checkpointsToStream } from '../../store/audit-checkpoints.js';
import {
  advanceCheckpointCursor,
  advanceCursor,
  anyStreams,
  leaseDueCursors,
  nextStreamRetryAt,
  releaseCursor,
} from '../../store/event-stream-cursors.js';
import { listEvents } from '../../store/events.js';
import { findChannelRow } from '../../store/notification-channels.js';
import type { StreamCursorRow } from '../../store/schema.js';
import type { OpsDeps } from '../shared/deps.js';
import { PUBLIC_ONLY } from '../shared/outbound/policy.js';
import { deliveryErrorText } from '../notifications/index.js';
import { channelSendConfig } from '../secrets/index.js';
import { streamRecords } from './stream-records.js';

// Streams the audit log to webhook channels with `allEvents` (a SIEM, say): every event, in seq order, one
// request each, signed like every webhook, with the event id as the delivery id. The cursor advances after each
// acknowledged event, so a restart resumes right after the last one delivered; a failing endpoint holds its
// stream (order matters more than speed here) and is retried with backoff, never skipped. Signed checkpoints of
// the chain go along, each after the event it covers, with a cursor of their own.

export interface StreamOptions {
  owner: string;
  leaseMs: number;
  timeoutMs: number;
  retry: Pick<RetryPolicy, 'baseMs' | 'capMs'>;
  /** Events per leased run of one channel. */
  pageSize: number;
}

/** Leases the due streams; each is then streamed by streamChannel and released. */
export const leaseStreams = (deps: OpsDeps, opts: StreamOptions) =>
  leaseDueCursors(deps.db, opts.owner, deps.now(), opts.leaseMs);

/** Sends the next page of events to one leased stream; true when there may be more to send right away. */
export async function streamChannel(
  deps: OpsDeps,
  cursor: StreamCursorRow,
  opts: StreamOptions,
): Promise<boolean> {
  const channel = await findChannelRow(deps.db, cursor.channel_id);
  if (!channel || channel.type !== 'webhook' || !channel.all_events) {
    await releaseCursor(deps.db, cursor.channel_id, opts.owner);
    return false;
  }
  const events = await listEvents(deps.db, { afterSeq: Number(cursor.last_seq), limit: opts.pageSize });
  const checkpoints = await checkpointsToStream(deps.db, {
    afterSeq: Number(cursor.last_checkpoint_seq),
    uptoSeq: events.at(-1)?.seq ?? Number(cursor.last_seq),
    limit: opts.pageSize,
  });
  // Opened once there is something to send; a key that does not open it holds the stream like a failure.
  let config: Record<string, unknown> | undefined;
  for (const record of streamRecords(events, checkpoints)) {
    try {
      config ??= channelSendConfig(deps.keys, channel);
      await postWebhook(
        config as unknown as WebhookConfig,
        record.delivery,
        opts.timeoutMs,
        deps.outbound ?? PUBLIC_ONLY,
      );
    } catch (err) {
      const nextAttemptAt = new Date(deps.now().getTime() + retryDelayMs(cursor.attempts + 1, opts.retry));
      const error = deliveryErrorText(err, 'webhook', config);
      await releaseCursor(deps.db, cursor.channel_id, opts.owner, { error, nextAttemptAt });
      return false;
    }
    const advance = record.kind === 'event' ? advanceCursor : advanceCheckpointCursor;
    // A lost lease means another process took the stream over: stop, it carries on from the cursor.
    if (!(await advance(deps.db, cursor.channel_id, opts.owner, record.seq, deps.now(), opts.leaseMs)))
      return false;
  }
  await releaseCursor(deps.db, cursor.channel_id, opts.owner);
  return events.length === opts.pageSize || checkpoints.length === opts.pageSize;
}

/** Whether any channel streams the audit log. */
export const anyAuditStreams = (deps: Pick<OpsDeps, 'db'>) => anyStreams(deps.db);

/** When the next stream that failed is due to be tried again; null when none waits. */
export const nextAuditStreamRetryAt = (deps: Pick<OpsDeps, 'db' | 'now'>) =>
  nextStreamRetryAt(deps.db, deps.now());
