import { conflict, notFound } from '../../domain/errors.js';
import type { Actor } from '../../domain/users.js';
import { findScheduleRow, updateScheduleRow } from '../../store/on-call-schedules.js';
import { linksOfSchedule, replaceShifts, replaceUnmatched } from '../../store/on-call-shifts.js';
import { assertAdminForSchedules } from './create-schedule.js';
import type { OpsDeps } from '../shared/deps.js';
import { runInTransaction } from '../shared/transaction.js';

/** Removes a schedule no group follows any more (admins); its stored shifts go with it. */
export async function deleteOnCallSchedule(deps: OpsDeps, actor: Actor, id: string): Promise<void> {
  assertAdminForSchedules(actor);
  const now = deps.now();
  await runInTransaction(deps, async (trx) => {
    const row = await findScheduleRow(trx, id, true);
    if (!row) throw notFound('on-call schedule', id);
    const groups = (await linksOfSchedule(trx, id)).map((l) => l.groupId);
    if (groups.length)
      throw conflict(
        `on-call schedule '${id}' is used by groups ${groups.join(', ')}; remove it from them first`,
      );
    await replaceShifts(trx, id, []);
    await replaceUnmatched(trx, id, []);
    await updateScheduleRow(trx, id, { deletedAt: now, now });
    return {
      result: undefined,
      events: [
        {
          type: 'on_call.schedule_deleted',
          actorId: actor.id,
          subjects: [{ type: 'on_call_schedule', id }],
          data: { name: row.name, provider: row.provider },
        },
      ],
    };
  });
}
