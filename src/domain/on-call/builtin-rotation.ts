import { AppError, invalid } from '../errors.js';
import { effectiveSegments, type Segment, type Span } from './effective-segments.js';
import {
  compile,
  indexAt,
  nextChange,
  previousChange,
  shiftStart,
  userOf,
  winnerAt,
  type Plan,
} from './rotation-plan.js';
import type { BuiltinConfig, Shift } from './shifts.js';

export { validateBuiltinConfig } from './builtin-config.js';

// Who a builtin rotation puts on call: each layer's participants take turns from its start, forever or until
// its end; a later layer wins wherever it has someone, an override wins over every layer. See rotation-plan.ts
// for how shifts are laid out in time.

/** The most layer shifts one call lays out; a window holding more must be asked for in pieces. */
export const MAX_WINDOW_SHIFTS = 200_000;
/** How far a segment is followed either side of an instant. */
const MAX_REACH_MS = 800 * 86_400_000;
const MAX_STEPS = 10_000;

const tooMany = () =>
  new AppError('validation_failed', `the window holds more than ${MAX_WINDOW_SHIFTS} shifts; ask for less`, [
    { field: 'window', message: `holds more than ${MAX_WINDOW_SHIFTS} shifts` },
  ]);

/** Every layer shift and override overlapping [from, until), clipped to it. */
function spansIn(plan: Plan, from: number, until: number): Span[] {
  const out: Span[] = [];
  plan.rotations.forEach((r, priority) => {
    const lo = Math.max(from, r.startMs);
    const hi = Math.min(until, r.endMs);
    if (lo >= hi) return;
    if (r.single) return void out.push({ start: lo, end: hi, priority, userId: r.userIds[0]! });
    let k = indexAt(r, lo);
    for (let s = shiftStart(r, k); s < hi; k++) {
      const e = shiftStart(r, k + 1);
      if (out.length >= MAX_WINDOW_SHIFTS) throw tooMany();
      out.push({ start: Math.max(s, lo), end: Math.min(e, hi), priority, userId: userOf(r, k) });
      s = e;
    }
  });
  for (const o of plan.overrides) if (o.start < until && o.end > from) out.push(o);
  return out;
}

function instant(field: string, d: Date): number {
  const ms = d instanceof Date ? d.getTime() : NaN;
  if (!Number.isFinite(ms)) throw invalid(field, 'must be a valid date');
  return ms;
}

/** Where a segment that never ends (one person, no layer end) is said to end: the same at every call. */
export const OPEN_END_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * The whole effective segment under way at `t`: the walk goes from boundary to boundary while the same person
 * stays on call. A walk longer than ~800 days or MAX_STEPS boundaries either side stops there.
 */
function segmentAt(plan: Plan, t: number): Segment | null {
  const first = winnerAt(plan, t);
  if (!first) return null;
  let end = t;
  for (let win = first, steps = 0; ; steps++) {
    end = nextChange(plan, win, end);
    const next = end - t < MAX_REACH_MS && steps < MAX_STEPS ? winnerAt(plan, end) : null;
    if (next?.userId !== first.userId) break;
    win = next;
  }
  let start = t;
  for (let win = first, steps = 0; ; steps++) {
    start = previousChange(plan, win, start);
    const prev = t - start < MAX_REACH_MS && steps < MAX_STEPS ? winnerAt(plan, start - 1) : null;
    if (prev?.userId !== first.userId) break;
    win = prev;
    start -= 1;
  }
  return { userId: first.userId, start, end: Math.min(end, OPEN_END_MS) };
}

const toShift = (s: Segment): Shift => ({ userId: s.userId, start: new Date(s.start), end: new Date(s.end) });

/**
 * Who is effectively on call over [from, until): sorted, non-overlapping segments overlapping the window, with
 * contiguous segments of the same user merged. The segments at the window's edges are whole, as
 * builtinOnCallAt gives them, not clipped: a shift under way reads the same through every window, so what is
 * written from it (grants) does not change from one sync to the next. Linear in the shifts the window holds
 * (at most MAX_WINDOW_SHIFTS). Throws a validation error for an invalid config.
 */
export function builtinShifts(config: BuiltinConfig, from: Date, until: Date): Shift[] {
  const plan = compile(config);
  const a = instant('from', from);
  const b = instant('until', until);
  if (b <= a) return [];
  const segments = effectiveSegments(spansIn(plan, a, b), a, b);
  const first = segments[0];
  if (first && first.start === a) first.start = segmentAt(plan, a)?.start ?? a;
  const last = segments[segments.length - 1];
  if (last && last.end === b) last.end = segmentAt(plan, b - 1)?.end ?? b;
  return segments.map(toShift);
}

/** Who is on call at an instant, with the whole effective segment around it (see segmentAt); empty if nobody. */
export function builtinOnCallAt(config: BuiltinConfig, at: Date): Shift[] {
  const segment = segmentAt(compile(config), instant('at', at));
  return segment ? [toShift(segment)] : [];
}
