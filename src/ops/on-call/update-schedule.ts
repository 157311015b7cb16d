import { AppError, notFound } from '../../domain/errors.js';
import { joinSecret, SECRET_FIELD, splitSecret, type Schedule } from '../../domain/on-call/schedules.js';
import type { OnCallProvider } from '../../domain/on-call/shifts.js';
import type { Actor } from '../../domain/users.js';
import { findScheduleRow, toSchedule, updateScheduleRow } from '../../store/on-call-schedules.js';
import { assertAdminForSchedules, assertName, assertValidConfig } from './create-schedule.js';
import type { OpsDeps } from '../shared/deps.js';
import { syncIfBuiltin } from './sync-schedule.js';
import { runInTransaction } from '../shared/transaction.js';
import { assertScheduleDestination } from './schedule-destination.js';
import { isSecretOpenError } from '../../keys/secret-box.js';
import type { OnCallScheduleRow } from '../../store/schema-on-call.js';
import { openScheduleSecret, sealScheduleSecret } from '../secrets/index.js';

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
    let secretChanged = false;
    if (patch.config !== undefined) {
      const stored = storedSecret(deps, row, patch.config);
      const full = joinSecret(provider, {}, stored);
      const merged = { ...full, ...patch.config };
      await assertValidConfig(trx, provider, merged);
      assertScheduleDestination(deps, provider, merged);
      config = splitSecret(provider, merged);
      secretChanged = config.secret !== stored;
    }
    // An unchanged secret keeps its envelope; a changed one (or one still in clear) is sealed anew.
    const sealedSecret =
      config && (secretChanged || row.sealed_secret === null)
        ? sealScheduleSecret(deps.keys, id, config.secret)
        : row.sealed_secret;
    const updated = await updateScheduleRow(trx, id, {
      ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
      ...(config ? { config: config.shown, sealedSecret, nextSyncAt: now } : {}),
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
                ...(config ? { config: config.shown, secretChanged } : {}),
              },
            },
          ]
        : [],
    };
  });
  return syncIfBuiltin(deps, schedule);
}

/**
 * The stored credential, opened to keep it when the new settings leave it out. When it does not open (the secret
 * key changed), settings that give the credential anew still replace it; others are refused, saying why.
 */
function storedSecret(deps: OpsDeps, row: OnCallScheduleRow, config: Record<string, unknown>): string | null {
  try {
    return openScheduleSecret(deps.keys, row);
  } catch (err) {
    if (!isSecretOpenError(err)) throw err;
    const field = SECRET_FIELD[row.provider as OnCallProvider];
    if (field && typeof config[field] === 'string') return null;
    throw new AppError(
      'conflict',
      `the ${field ?? 'secret'} of on-call schedule '${row.id}' cannot be opened (${err.message}); give it again to replace it`,
    );
  }
}
