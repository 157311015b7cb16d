import { parseDuration, type BreakGlassSettings } from '../../domain/break-glass.js';
import { invalid } from '../../domain/errors.js';
import type { Actor } from '../../domain/users.js';
import { readSettings, writeSettings } from '../../store/break-glass-settings.js';
import { findGroupsByIds } from '../../store/groups.js';
import { findUsersByIds } from '../../store/users.js';
import type { OpsDeps, Tx } from '../shared/deps.js';
import { runInTransaction } from '../shared/transaction.js';
import { uniqueIds } from '../shared/unique-ids.js';

import { groupToManage } from '../shared/group-to-manage.js';

export interface ConfigureBreakGlassInput {
  userIds: string[];
  groupIds?: string[] | undefined;
  durationMinutes?: number | undefined;
}

async function assertKnown(trx: Tx, userIds: string[], groupIds: string[]) {
  const users = new Set((await findUsersByIds(trx, userIds)).map((u) => u.id));
  const missingUsers = userIds.filter((id) => !users.has(id));
  if (missingUsers.length) throw invalid('userIds', `unknown users: ${missingUsers.join(', ')}`);
  const groups = new Set((await findGroupsByIds(trx, groupIds)).map((g) => g.id));
  const missingGroups = groupIds.filter((id) => !groups.has(id));
  if (missingGroups.length) throw invalid('groupIds', `unknown groups: ${missingGroups.join(', ')}`);
}

/**
 * Replaces who may break the glass on a group and for how long (PUT semantics: an omitted list is empty, an
 * omitted duration is the default). Admins and the group's owners only.
 */
export async function configureBreakGlass(
  deps: OpsDeps,
  actor: Actor,
  groupId: string,
  input: ConfigureBreakGlassInput,
): Promise<BreakGlassSettings> {
  const now = deps.now();
  return runInTransaction(deps, async (trx) => {
    await groupToManage(
      trx,
      deps,
      actor,
      groupId,
      'configureBreakGlass',
      "only admins and the group's owners can configure its break-glass",
    );
    const after: BreakGlassSettings = {
      userIds: uniqueIds(input.userIds).sort(),
      groupIds: uniqueIds(input.groupIds).sort(),
      durationMinutes: parseDuration(input.durationMinutes),
    };
    await assertKnown(trx, after.userIds, after.groupIds);
    const before = await readSettings(trx, groupId);
    if (JSON.stringify(before) === JSON.stringify(after)) return { result: after, events: [] };
    await writeSettings(trx, groupId, after, actor.id, now);
    return {
      result: after,
      events: [
        {
          type: 'break_glass.configured',
          actorId: actor.id,
          subjects: [{ type: 'group', id: groupId }],
          data: { before, after },
        },
      ],
    };
  });
}
