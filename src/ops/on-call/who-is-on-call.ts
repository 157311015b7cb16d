import { AppError, notFound } from '../../domain/errors.js';
import { builtinOnCallAt } from '../../domain/on-call/builtin-rotation.js';
import { onCallAt } from '../../domain/on-call/match-shifts.js';
import type { BuiltinConfig, Shift } from '../../domain/on-call/shifts.js';
import { findScheduleRow } from '../../store/on-call-schedules.js';
import { readShifts } from '../../store/on-call-shifts.js';
import type { OpsDeps } from '../shared/deps.js';
import type { Actor } from '../../domain/users.js';
import { fetchOnCallLive } from './fetch-live.js';

export type OnCallSource = 'rotation' | 'stored' | 'live';

export interface OnCallAnswer {
  shifts: Shift[];
  /** Where the answer comes from: a builtin rotation's rules, the last good sync, or the provider just now. */
  source: OnCallSource;
}

/**
 * Who is on call at an instant. Builtin rotations answer for any time. Other schedules answer from the shifts
 * their last good sync stored, and only inside the window it covered: outside it the answer is not known, and
 * saying "nobody" would be wrong. Asking the provider itself (with the stored credentials) is for admins who
 * ask for it explicitly (`live`), rate-limited and audited.
 */
export async function whoIsOnCall(
  deps: OpsDeps,
  actor: Actor,
  id: string,
  at: Date,
  opts: { live?: boolean } = {},
): Promise<OnCallAnswer> {
  const row = await findScheduleRow(deps.db, id);
  if (!row) throw notFound('on-call schedule', id);
  if (row.provider === 'builtin')
    return { shifts: builtinOnCallAt(row.config as unknown as BuiltinConfig, at), source: 'rotation' };
  if (opts.live) return { shifts: await fetchOnCallLive(deps, actor, row, at), source: 'live' };
  if (row.window_start && row.window_end && at >= row.window_start && at < row.window_end)
    return {
      shifts: onCallAt(await readShifts(deps.db, id, at, new Date(at.getTime() + 1)), at),
      source: 'stored',
    };
  const known =
    row.window_start && row.window_end
      ? `its last good sync covers ${row.window_start.toISOString()} to ${row.window_end.toISOString()}`
      : 'it has not been fetched successfully yet';
  throw new AppError(
    'outside_known_window',
    `who is on call on schedule '${id}' at ${at.toISOString()} is not known: ${known}; ` +
      'admins may ask the provider directly with live=true',
  );
}
