import { sendNotice, type Notice } from './channels/send.js';
import { channelCarries, type ChannelType } from '../../domain/notification-channels.js';
import {
  outcomeOf,
  type AttemptOutcome,
  type DeliveryResult,
  type RetryPolicy,
} from '../../domain/notification-delivery.js';
import { emailChannelRows, findChannelRow } from '../../store/notification-channels.js';
import { claimDueNotices, nextNoticeDueAt, recordAttempt } from '../../store/outbox-delivery.js';
import type { OutboxRow } from '../../store/schema.js';
import { findUserById } from '../../store/users.js';
import type { OpsDeps } from '../shared/deps.js';
import { PUBLIC_ONLY } from '../shared/outbound/policy.js';
import { channelSendConfig } from '../secrets/index.js';

// Delivering the outbox: claim due notices, send each through its channel outside any transaction, record
// what happened. A notice to a person goes by e-mail to their address, through the first enabled e-mail
// channel that carries its kind; a notice to a channel (a group's channels) goes through that channel.

export interface DeliveryOptions {
  policy: RetryPolicy;
  /** How long one delivery may take before it counts as failed. */
  timeoutMs: number;
}

/** Claims up to `limit` due notices; each stays leased for `leaseMs` while it is being delivered. */
export const claimNotices = (deps: OpsDeps, limit: number, leaseMs: number): Promise<OutboxRow[]> =>
  claimDueNotices(deps.db, deps.now(), limit, leaseMs);

const skip = (error: string): DeliveryResult => ({ ok: false, error, permanent: true });

async function attempt(deps: OpsDeps, row: OutboxRow, timeoutMs: number): Promise<DeliveryResult> {
  const notice: Notice = {
    id: row.id,
    kind: row.kind,
    payload: row.payload,
    createdAt: row.created_at.toISOString(),
  };
  if (row.channel_id) {
    const channel = await findChannelRow(deps.db, row.channel_id);
    if (!channel) return skip('the channel was deleted');
    if (!channelCarries(channel, row.kind))
      return skip(`channel '${channel.name}' is disabled or does not carry ${row.kind}`);
    const to = (channel.config.to as string[] | undefined) ?? [];
    return sendNotice(
      { type: channel.type, config: channelSendConfig(deps.keys, channel) },
      { ...notice, to },
      timeoutMs,
      deps.outbound ?? PUBLIC_ONLY,
    );
  }
  const user = row.recipient_user_id ? await findUserById(deps.db, row.recipient_user_id) : undefined;
  if (!user) return skip('the recipient does not exist');
  const channel = (await emailChannelRows(deps.db)).find((c) => channelCarries(c, row.kind));
  if (!channel) return skip(`no enabled e-mail channel carries ${row.kind}`);
  return sendNotice(
    { type: 'email' satisfies ChannelType, config: channelSendConfig(deps.keys, channel) },
    { ...notice, to: [user.email] },
    timeoutMs,
    deps.outbound ?? PUBLIC_ONLY,
  );
}

/** Delivers one claimed notice and records the outcome: sent, a retry with backoff, skipped, or failed. */
export async function deliverNotice(
  deps: OpsDeps,
  row: OutboxRow,
  opts: DeliveryOptions,
): Promise<AttemptOutcome> {
  let result: DeliveryResult;
  try {
    result = await attempt(deps, row, opts.timeoutMs);
  } catch (err) {
    // A database hiccup while routing is worth another try, like a network error; so is a secret that does not
    // open, which is retried until the key is put right (its message says so, naming no secret).
    result = { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  const now = deps.now();
  const outcome = outcomeOf(result, row.attempts, now, opts.policy);
  await recordAttempt(deps.db, row.id, outcome, now);
  return outcome;
}

/** When the next notice falls due for a delivery attempt; null when none waits. */
export const nextNoticeAt = (deps: Pick<OpsDeps, 'db'>) => nextNoticeDueAt(deps.db);
