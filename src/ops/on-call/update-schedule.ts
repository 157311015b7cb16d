import { notFound } from '../../domain/errors.js';
import { joinSecret, splitSecret, type Schedule } from '../../domain/on-call/schedules.js';
import type { OnCallProvider } from '../../domain/on-call/shifts.js';
import type { Actor } from '../../domain/users.js';
import { findScheduleRow, toSchedule, updateScheduleRow } from '../../store/on-call-schedules.js';
import { assertAdminForSchedules, assertName, assertValidConfig } from './create-schedule.js';
import type { OpsDeps } from '../shared/deps.js';
import { syncIfBuiltin } from './sync-schedule.js';
import { runInTransaction } from '../shared/transaction.js';
import { assertScheduleDestination } from './schedule-destination.js';

export interface SchedulePatch {
  name?: string | undefined;
  /** Replaces the settings; a remote provider's secret may be left out to keep the stored one. */
  config?: Record<string, unknown> | undefined;
}

/** Renames a schedule or changes its settings (admins); new settings are fetched at once. */
export async function updateOnCallSchedule(
  deps: OpsDeps,
  actor: Actor,
  id: string,
  patch: SchedulePatch,
): Promise<Schedule> {
  assertAdminForSchedules(actor);
  if (patch.name !== undefined) assertName(patch.name);
  const now = deps.now();
  const schedule = await runInTransaction(deps, async (trx) => {
    const row = await findScheduleRow(trx, id, true);
    if (!row) throw notFound('on-call schedule', id);
    const provider = row.provider as OnCallProvider;
    let config: { shown: Record<string, unknown>; secret: string | null } | undefined;
    if (patch.config !== undefined) {
      const full = joinSecret(provider, {}, row.secret);
      const merged = { ...full, ...patch.config };
      await assertValidConfig(trx, provider, merged);
      assertScheduleDestination(deps, provider, merged);
      config = splitSecret(provider, merged);
    }
    const updated = await updateScheduleRow(trx, id, {
      ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
      ...(config ? { config: config.shown, secret: config.secret, nextSyncAt: now } : {}),
      now,
    });
    const changed = updated.name !== row.name || config !== undefined;
    return {
      result: toSchedule(updated),
      events: changed
        ? [
            {
              type: 'on_call.schedule_updated',
              actorId: actor.id,
              subjects: [{ type: 'on_call_schedule', id }],
              data: {
                name: updated.name,
                ...(config ? { config: config.shown, secretChanged: config.secret !== row.secret } : {}),
              },
            },
          ]
        : [],
    };
  });
  return syncIfBuiltin(deps, schedule);
}
