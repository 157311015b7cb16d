import { invalid } from '../../domain/errors.js';
import type { Actor } from '../../domain/users.js';

import { existingChannelIds, groupChannelIds, setGroupChannels } from '../../store/notification-channels.js';
import type { OpsDeps } from '../shared/deps.js';
import { runInTransaction } from '../shared/transaction.js';

import { groupToManage } from '../shared/group-to-manage.js';

export interface GroupChannels {
  channelIds: string[];
}

/**
 * Replaces the channels a group's notices go to (its owners and admins): break-glass activations, ends and
 * reviews on the group reach these channels besides the owners and admins themselves.
 */
export async function setGroupNotificationChannels(
  deps: OpsDeps,
  actor: Actor,
  groupId: string,
  channelIds: string[],
): Promise<GroupChannels> {
  return runInTransaction(deps, async (trx) => {
    await groupToManage(
      trx,
      deps,
      actor,
      groupId,
      'setChannels',
      "only admins and the group's owners can choose where its notices go",
    );
    const wanted = [...new Set(channelIds)].sort();
    const found = await existingChannelIds(trx, wanted);
    const missing = wanted.filter((id) => !found.has(id));
    if (missing.length) throw invalid('channelIds', `unknown notification channels: ${missing.join(', ')}`);
    const before = await groupChannelIds(trx, groupId);
    await setGroupChannels(trx, groupId, wanted);
    const changed = JSON.stringify(before) !== JSON.stringify(wanted);
    return {
      result: { channelIds: wanted },
      events: changed
        ? [
            {
              type: 'group.notification_channels_set',
              actorId: actor.id,
              subjects: [
                { type: 'group', id: groupId },
                ...[...new Set([...before, ...wanted])].map((id) => ({ type: 'notification_channel', id })),
              ],
              data: { before, after: wanted },
            },
          ]
        : [],
    };
  });
}
