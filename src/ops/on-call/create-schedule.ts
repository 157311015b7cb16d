import { AppError, invalid, type FieldError } from '../../domain/errors.js';
import { builtinShapeProblems, builtinUserIds } from '../../domain/on-call/builtin-config-shape.js';
import { validateBuiltinConfig } from '../../domain/on-call/builtin-rotation.js';
import { remoteConfigProblems, splitSecret, type Schedule } from '../../domain/on-call/schedules.js';
import type { BuiltinConfig, OnCallProvider } from '../../domain/on-call/shifts.js';
import { type Actor } from '../../domain/users.js';
import { newId } from '../../store/ids.js';
import { insertSchedule, toSchedule } from '../../store/on-call-schedules.js';
import { findUsersByIds } from '../../store/users.js';
import type { OpsDeps, Tx } from '../shared/deps.js';
import { syncIfBuiltin } from './sync-schedule.js';
import { runInTransaction } from '../shared/transaction.js';
import { authorize } from '../shared/authorization.js';
import { assertScheduleDestination } from './schedule-destination.js';
import { sealScheduleSecret } from '../secrets/index.js';

export interface ScheduleInput {
  name: string;
  provider: OnCallProvider;
  config: Record<string, unknown>;
}

export function assertAdminForSchedules(actor: Actor) {
  authorize(actor, 'schedule', 'manage', {}, 'only admins can manage on-call schedules');
}

/** Checks a provider config as given (with its secret); builtin rotations must name existing users. */
export async function assertValidConfig(trx: Tx, provider: OnCallProvider, config: Record<string, unknown>) {
  if (provider === 'builtin') {
    const shape = builtinShapeProblems(config);
    if (shape.length) throw configInvalid(shape);
    const builtin = config as unknown as BuiltinConfig;
    const known = new Set((await findUsersByIds(trx, builtinUserIds(builtin))).map((u) => u.id));
    const problems = validateBuiltinConfig(builtin, known);
    if (problems.length) throw configInvalid(problems);
    return;
  }
  const problems = remoteConfigProblems(provider, config);
  if (problems.length)
    throw configInvalid(problems.map((p) => ({ ...p, field: p.field.replace(/^config\./, '') })));
}

function configInvalid(problems: FieldError[]) {
  const errors = problems.map((p) => ({ field: `config.${p.field}`, message: p.message }));
  return new AppError('validation_failed', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
}

export function assertName(name: string) {
  if (!name.trim()) throw invalid('name', 'must not be blank');
}

/** Adds a schedule (admins); it is fetched as soon as the time engine sees it. */
export async function createOnCallSchedule(
  deps: OpsDeps,
  actor: Actor,
  input: ScheduleInput,
): Promise<Schedule> {
  assertAdminForSchedules(actor);
  assertName(input.name);
  const now = deps.now();
  const schedule = await runInTransaction(deps, async (trx) => {
    await assertValidConfig(trx, input.provider, input.config);
    assertScheduleDestination(deps, input.provider, input.config);
    const { shown, secret } = splitSecret(input.provider, input.config);
    const id = newId('sch');
    const row = await insertSchedule(trx, {
      id,
      name: input.name.trim(),
      provider: input.provider,
      config: shown,
      sealedSecret: sealScheduleSecret(deps.keys, id, secret),
      now,
    });
    return {
      result: toSchedule(row),
      events: [
        {
          type: 'on_call.schedule_created',
          actorId: actor.id,
          subjects: [{ type: 'on_call_schedule', id: row.id }],
          data: { name: row.name, provider: row.provider, config: shown },
        },
      ],
    };
  });
  return syncIfBuiltin(deps, schedule);
}
