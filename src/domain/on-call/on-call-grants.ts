import type { Shift } from './shifts.js';

// How a group's on-call grants follow a schedule: each shift (plus the group's grace period) is one grant
// that starts and ends at the shift's boundaries, written ahead of time so the switch happens at the boundary
// itself (access is evaluated at query time) rather than when a job gets round to it. Pure.

/** How far ahead grants are written, and at most how many future ones per group and schedule. */
export const GRANT_HORIZON_MS = 7 * 24 * 3600_000;
export const MAX_FUTURE_GRANTS = 50;

/** The latest end a grant can have: a rotation of one person never hands over, and stays representable. */
const LATEST_END_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

export interface DesiredGrant {
  userId: string;
  startsAt: Date;
  expiresAt: Date;
}

export interface LiveOnCallGrant extends DesiredGrant {
  id: string;
  createdAt: Date;
}

export interface GrantPlan {
  /** Grants the group should hold now: the shifts still to end, within the horizon and the cap. */
  desired: DesiredGrant[];
  /** When grants must be written further ahead (the cap cut the horizon short); null when not needed. */
  refreshBy: Date | null;
}

/** Shifts plus grace, merged per user where the grace makes them touch, limited to what is still to end. */
export function planOnCallGrants(shifts: Shift[], graceMinutes: number, now: Date): GrantPlan {
  const graceMs = graceMinutes * 60_000;
  const byUser = new Map<string, DesiredGrant[]>();
  const sorted = [...shifts].sort((a, b) => a.start.getTime() - b.start.getTime());
  for (const s of sorted) {
    const list = byUser.get(s.userId) ?? [];
    const end = new Date(Math.min(s.end.getTime() + graceMs, LATEST_END_MS));
    const last = list[list.length - 1];
    if (last && s.start.getTime() <= last.expiresAt.getTime()) {
      if (end > last.expiresAt) last.expiresAt = end;
    } else list.push({ userId: s.userId, startsAt: s.start, expiresAt: end });
    byUser.set(s.userId, list);
  }
  const horizon = now.getTime() + GRANT_HORIZON_MS;
  const all = [...byUser.values()]
    .flat()
    .filter((g) => g.expiresAt > now && g.startsAt.getTime() < horizon)
    .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || a.userId.localeCompare(b.userId));
  const current = all.filter((g) => g.startsAt <= now);
  const future = all.filter((g) => g.startsAt > now);
  if (future.length <= MAX_FUTURE_GRANTS) return { desired: all, refreshBy: null };
  const kept = future.slice(0, MAX_FUTURE_GRANTS);
  const lastStart = kept[kept.length - 1]!.startsAt.getTime();
  return {
    desired: [...current, ...kept],
    refreshBy: new Date(now.getTime() + Math.max(1000, Math.floor((lastStart - now.getTime()) / 2))),
  };
}

/**
 * What to change so the live grants match the desired ones. A grant written mid-shift starts when it was
 * written, not at the shift's start, so it matches a desired grant whose start is at or before its creation.
 * Providers cut shifts at the end of the span asked for (`openEndAt`); such an end moves forward with every
 * sync, so a desired grant ending there matches a live one that also ended at a recent span's end (later
 * than `openEndAt` less the grant horizon) instead of being rewritten every few minutes.
 */
export function reconcileOnCallGrants(
  live: LiveOnCallGrant[],
  desired: DesiredGrant[],
  now: Date,
  openEndAt: Date | null = null,
): { end: LiveOnCallGrant[]; create: DesiredGrant[] } {
  const open = openEndAt?.getTime() ?? Infinity;
  const recentSpanEnd = open - GRANT_HORIZON_MS;
  const kept = new Set<LiveOnCallGrant>();
  const create: DesiredGrant[] = [];
  for (const d of desired) {
    const startsRight = (l: LiveOnCallGrant) =>
      l.userId === d.userId && l.startsAt.getTime() === Math.max(d.startsAt.getTime(), l.createdAt.getTime());
    const endsRight = (l: LiveOnCallGrant) =>
      l.expiresAt.getTime() === d.expiresAt.getTime() ||
      (d.expiresAt.getTime() >= open && l.expiresAt.getTime() >= recentSpanEnd && l.expiresAt <= d.expiresAt);
    const hit = live.find((l) => !kept.has(l) && startsRight(l) && endsRight(l));
    if (hit) kept.add(hit);
    else create.push({ ...d, startsAt: d.startsAt < now ? now : d.startsAt });
  }
  return { end: live.filter((l) => !kept.has(l)), create };
}
