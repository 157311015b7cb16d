import { invalid, notFound } from '../../domain/errors.js';
import { builtinShifts } from '../../domain/on-call/builtin-rotation.js';
import type { BuiltinConfig, Shift } from '../../domain/on-call/shifts.js';
import { findScheduleRow } from '../../store/on-call-schedules.js';
import { readShifts } from '../../store/on-call-shifts.js';
import type { OpsDeps } from '../shared/deps.js';

/** A timeline asks for at most this much at once. */
export const MAX_SHIFT_WINDOW_MS = 31 * 24 * 3600_000;

export interface ShiftTimeline {
  shifts: Shift[];
  /** The part of the window the answer covers: all of it for a rotation, the last good sync's for a feed. */
  known: { from: Date; until: Date } | null;
}

/**
 * Who is on call over a window, shift by shift, for a timeline (everyone signed in, like who is on call now).
 * Builtin rotations answer from their rules; other schedules from their last good sync, only where it reaches.
 */
export async function shiftsBetween(
  deps: OpsDeps,
  id: string,
  from: Date,
  until: Date,
): Promise<ShiftTimeline> {
  if (until.getTime() <= from.getTime()) throw invalid('until', 'must be after from');
  if (until.getTime() - from.getTime() > MAX_SHIFT_WINDOW_MS)
    throw invalid('until', 'ask for 31 days at most');
  const row = await findScheduleRow(deps.db, id);
  if (!row) throw notFound('on-call schedule', id);
  if (row.provider === 'builtin')
    return {
      shifts: builtinShifts(row.config as unknown as BuiltinConfig, from, until),
      known: { from, until },
    };
  if (!row.window_start || !row.window_end) return { shifts: [], known: null };
  const start = new Date(Math.max(from.getTime(), row.window_start.getTime()));
  const end = new Date(Math.min(until.getTime(), row.window_end.getTime()));
  if (end <= start) return { shifts: [], known: null };
  return { shifts: await readShifts(deps.db, id, start, end), known: { from: start, until: end } };
}
