import { AppError, notFound } from '../../domain/errors.js';
import { builtinOnCallAt } from '../../domain/on-call/builtin-rotation.js';
import { onCallAt } from '../../domain/on-call/match-shifts.js';
import type { BuiltinConfig, Shift } from '../../domain/on-call/shifts.js';
import { findScheduleRow } from '../../store/on-call-schedules.js';
import { readShifts } from '../../store/on-call-shifts.js';
import type { OpsDeps } from '../shared/deps.js';
import { fetchOnCallShifts } from './fetch-shifts.js';

const DAY = 24 * 3600_000;

/**
 * Who is on call at an instant. Builtin rotations answer for any time; other schedules from their last good
 * sync when it covers the instant, else by asking the provider about the day around it.
 */
export async function whoIsOnCall(deps: Pick<OpsDeps, 'db'>, id: string, at: Date): Promise<Shift[]> {
  const row = await findScheduleRow(deps.db, id);
  if (!row) throw notFound('on-call schedule', id);
  if (row.provider === 'builtin') return builtinOnCallAt(row.config as unknown as BuiltinConfig, at);
  if (row.window_start && row.window_end && at >= row.window_start && at < row.window_end)
    return onCallAt(await readShifts(deps.db, id, at, new Date(at.getTime() + 1)), at);
  try {
    const fetched = await fetchOnCallShifts(
      deps,
      row,
      new Date(at.getTime() - DAY),
      new Date(at.getTime() + DAY),
    );
    return onCallAt(fetched.shifts, at);
  } catch (err) {
    throw new AppError(
      'provider_unavailable',
      `the ${row.provider} schedule could not be read for ${at.toISOString()}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}
