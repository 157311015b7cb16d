import { AppError } from '../errors.js';
import { parseInstant, validateBuiltinConfig } from './builtin-config.js';
import type { Span } from './effective-segments.js';
import type { BuiltinConfig } from './shifts.js';
import { addDays, dayNumber, wallTimeAt, wallToUtc, type WallTime } from './zone-time.js';

// A builtin rotation compiled for computing: instants in ms, one rotation per layer, overrides as spans whose
// priority puts them over every layer (a later one over an earlier one). Whole-day shifts hand off at the same
// local time every day in the rotation's zone, so across a DST change one lasts 23 or 25 hours; other lengths
// advance in absolute time. The shift under way at an instant is found in constant time, never by walking
// from the start.

export interface Rotation {
  startMs: number;
  endMs: number;
  lengthMs: number;
  /** Whole-day rotations: the shift length in days (handoffs keep their wall-clock time); null otherwise. */
  days: number | null;
  zone: string;
  /** The wall clock of the first handoff in the zone, and the milliseconds it carries below the second. */
  first: WallTime;
  firstMs: number;
  userIds: string[];
  /** Every participant is the same person: the layer is one span. */
  single: boolean;
}

export interface Plan {
  rotations: Rotation[];
  overrides: Span[];
}

/** The plan of a config; a validation error (400) when the config is not valid. */
export function compile(config: BuiltinConfig): Plan {
  const problems = validateBuiltinConfig(config);
  if (problems.length)
    throw new AppError(
      'validation_failed',
      problems.map((p) => `${p.field}: ${p.message}`).join('; '),
      problems,
    );
  const rotations = config.layers.map((layer): Rotation => {
    const seconds = layer.shiftSeconds ?? layer.shiftMinutes! * 60;
    const startMs = parseInstant(layer.start)!;
    return {
      startMs,
      endMs: layer.end ? parseInstant(layer.end)! : Infinity,
      lengthMs: seconds * 1000,
      days: seconds % 86_400 === 0 ? seconds / 86_400 : null,
      zone: config.timezone,
      first: wallTimeAt(config.timezone, startMs),
      firstMs: ((startMs % 1000) + 1000) % 1000,
      userIds: layer.userIds,
      single: layer.userIds.every((id) => id === layer.userIds[0]),
    };
  });
  const overrides = (config.overrides ?? []).map((o, j) => ({
    start: parseInstant(o.start)!,
    end: parseInstant(o.end)!,
    priority: rotations.length + j,
    userId: o.userId,
  }));
  return { rotations, overrides };
}

export function shiftStart(r: Rotation, k: number): number {
  if (r.days === null) return r.startMs + k * r.lengthMs;
  return wallToUtc(r.zone, addDays(r.first, k * r.days)) + r.firstMs;
}

/** The index of the shift under way at `t` (t >= the rotation's start), in constant time. */
export function indexAt(r: Rotation, t: number): number {
  if (r.days === null) return Math.floor((t - r.startMs) / r.lengthMs);
  // The local date puts k at the answer or one past it (before that day's handoff, or a 23/25-hour day).
  let k = Math.max(0, Math.floor((dayNumber(wallTimeAt(r.zone, t)) - dayNumber(r.first)) / r.days));
  while (k > 0 && shiftStart(r, k) > t) k--;
  while (shiftStart(r, k + 1) <= t) k++;
  return k;
}

export const userOf = (r: Rotation, k: number) => r.userIds[k % r.userIds.length]!;

/**
 * The source that wins at `t`, as a span: the whole run of consecutive shifts its person holds in that
 * source (a layer's `a, a, b` rotation gives `a` two shifts in a row), clipped to the layer's bounds.
 */
export function winnerAt(plan: Plan, t: number): Span | null {
  for (let j = plan.overrides.length - 1; j >= 0; j--) {
    const o = plan.overrides[j]!;
    if (o.start <= t && t < o.end) return o;
  }
  for (let priority = plan.rotations.length - 1; priority >= 0; priority--) {
    const r = plan.rotations[priority]!;
    if (t < r.startMs || t >= r.endMs) continue;
    const userId = r.userIds[0]!;
    if (r.single) return { start: r.startMs, end: r.endMs, priority, userId };
    const k = indexAt(r, t);
    let lo = k;
    let hi = k + 1;
    const n = r.userIds.length;
    while (lo > 0 && k - lo < n - 1 && userOf(r, lo - 1) === userOf(r, k)) lo--;
    while (hi - k < n && userOf(r, hi) === userOf(r, k)) hi++;
    return {
      start: Math.max(r.startMs, shiftStart(r, lo)),
      end: Math.min(r.endMs, shiftStart(r, hi)),
      priority,
      userId: userOf(r, k),
    };
  }
  return null;
}

/** Where the winner at `t` may stop winning going forward: its own end or a stronger source's start. */
export function nextChange(plan: Plan, win: Span, t: number): number {
  let next = win.end;
  plan.rotations.forEach((r, i) => {
    if (i > win.priority && r.startMs > t) next = Math.min(next, r.startMs);
  });
  for (const o of plan.overrides)
    if (o.priority > win.priority && o.start > t) next = Math.min(next, o.start);
  return next;
}

/** Where the winner at `t` began winning going back: its own start or a stronger source's end. */
export function previousChange(plan: Plan, win: Span, t: number): number {
  let prev = win.start;
  plan.rotations.forEach((r, i) => {
    if (i > win.priority && r.endMs <= t) prev = Math.max(prev, r.endMs);
  });
  for (const o of plan.overrides) if (o.priority > win.priority && o.end <= t) prev = Math.max(prev, o.end);
  return prev;
}
