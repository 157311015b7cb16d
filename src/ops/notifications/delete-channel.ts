import { notFound } from '../../domain/errors.js';
import type { Actor } from '../../domain/users.js';
import { deleteChannelRow, findChannelRow } from '../../store/notification-channels.js';
import { assertCanConfigureChannels } from './create-channel.js';
import type { OpsDeps } from '../shared/deps.js';
import { runInTransaction } from '../shared/transaction.js';

/** Deletes a channel (admins): it leaves every group, its stream stops, and its queued notices are skipped. */
export async function deleteNotificationChannel(deps: OpsDeps, actor: Actor, id: string): Promise<void> {
  assertCanConfigureChannels(actor);
  const now = deps.now();
  await runInTransaction(deps, async (trx) => {
    const row = await findChannelRow(trx, id, true);
    if (!row) throw notFound('notification channel', id);
    const groupIds = await deleteChannelRow(trx, id, now);
    return {
      result: undefined,
      events: [
        {
          type: 'notification_channel.deleted',
          actorId: actor.id,
          subjects: [
            { type: 'notification_channel', id },
            ...groupIds.map((g) => ({ type: 'group', id: g })),
          ],
          data: { name: row.name, type: row.type, groupIds },
        },
      ],
    };
  });
}
