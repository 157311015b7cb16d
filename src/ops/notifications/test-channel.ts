import { sendNotice } from './channels/send.js';
import { notFound } from '../../domain/errors.js';
import type { User } from '../../domain/users.js';
import { newId } from '../../store/ids.js';
import { findChannelRow } from '../../store/notification-channels.js';
import { assertCanConfigureChannels } from './create-channel.js';
import type { OpsDeps } from '../shared/deps.js';
import { PUBLIC_ONLY } from '../shared/outbound/policy.js';
import { channelSendConfig } from '../secrets/index.js';
import { runInTransaction } from '../shared/transaction.js';

export interface ChannelTestResult {
  delivered: boolean;
  error: string | null;
}

/**
 * Sends a test notice through a channel now and reports what happened (admins). An e-mail channel sends it to
 * the caller and to the channel's own addresses. Nothing is queued or retried: this is for setting up.
 */
export async function testNotificationChannel(
  deps: OpsDeps,
  actor: User,
  id: string,
  timeoutMs = 10_000,
): Promise<ChannelTestResult> {
  assertCanConfigureChannels(actor);
  const row = await findChannelRow(deps.db, id);
  if (!row) throw notFound('notification channel', id);
  const to = [...new Set([actor.email, ...((row.config.to as string[] | undefined) ?? [])])];
  let config: Record<string, unknown>;
  try {
    config = channelSendConfig(deps.keys, row);
  } catch (err) {
    return recorded(deps, actor, id, {
      delivered: false,
      error: err instanceof Error ? err.message : String(err),
    });
  }
  const result = await sendNotice(
    { type: row.type, config },
    {
      id: newId('ntf'),
      kind: 'channel.test',
      payload: { channel: row.name, requestedBy: actor.email },
      createdAt: deps.now().toISOString(),
      to,
    },
    timeoutMs,
    deps.outbound ?? PUBLIC_ONLY,
  );
  return recorded(
    deps,
    actor,
    id,
    result.ok ? { delivered: true, error: null } : { delivered: false, error: result.error },
  );
}

/** A test send reaches outside: who asked for it, and how it went (the error without the channel's secrets). */
async function recorded(deps: OpsDeps, actor: User, channelId: string, result: ChannelTestResult) {
  await runInTransaction(deps, async () => ({
    result: undefined,
    events: [
      {
        type: 'notification_channel.tested',
        actorId: actor.id,
        subjects: [{ type: 'notification_channel', id: channelId }],
        data: { ...result },
      },
    ],
  }));
  return result;
}
