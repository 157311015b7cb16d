import type { DirectoryUser, ProviderShift, Shift, UnmatchedShift } from './shifts.js';

// Turning a provider's shifts into shifts of Latch users. E-mails are tried first (they identify), then names
// and handles: a user's name (case and spacing aside) or the local part of their e-mail. A name two users
// answer to is ambiguous and matches nobody: a wrong person on call is worse than none, and the shift is
// reported as unmatched rather than dropped.

const normEmail = (s: string) => s.trim().toLowerCase();
const normName = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();
const localPart = (email: string) => normEmail(email).split('@')[0] ?? '';

function indexBy(users: DirectoryUser[], keys: (u: DirectoryUser) => string[]): Map<string, Set<string>> {
  const index = new Map<string, Set<string>>();
  for (const u of users)
    for (const key of keys(u)) {
      if (!key) continue;
      const ids = index.get(key) ?? new Set<string>();
      index.set(key, ids.add(u.id));
    }
  return index;
}

/** The one user a key designates; undefined when none or several do. */
function only(index: Map<string, Set<string>>, key: string): string | undefined {
  const ids = index.get(key);
  return ids?.size === 1 ? ids.values().next().value : undefined;
}

/** Per user, overlapping or touching shifts joined into one; sorted by start, then user. */
export function mergeShifts(shifts: Shift[]): Shift[] {
  const sorted = [...shifts].sort(
    (a, b) => a.userId.localeCompare(b.userId) || a.start.getTime() - b.start.getTime(),
  );
  const out: Shift[] = [];
  for (const s of sorted) {
    const prev = out[out.length - 1];
    if (prev && prev.userId === s.userId && s.start.getTime() <= prev.end.getTime()) {
      if (s.end > prev.end) prev.end = s.end;
    } else out.push({ userId: s.userId, start: s.start, end: s.end });
  }
  return out.sort((a, b) => a.start.getTime() - b.start.getTime() || a.userId.localeCompare(b.userId));
}

export function matchShifts(
  shifts: ProviderShift[],
  users: DirectoryUser[],
): { matched: Shift[]; unmatched: UnmatchedShift[] } {
  const byEmail = indexBy(users, (u) => [normEmail(u.email)]);
  const byName = indexBy(users, (u) => [normName(u.name), localPart(u.email)]);
  const matched: Shift[] = [];
  const unmatched: UnmatchedShift[] = [];
  for (const s of shifts) {
    if (!(s.end.getTime() > s.start.getTime())) continue; // nobody is on call for no time
    const userId =
      s.emails.map((e) => only(byEmail, normEmail(e))).find(Boolean) ??
      s.names.map((n) => only(byName, normName(n))).find(Boolean);
    if (userId) matched.push({ userId, start: s.start, end: s.end });
    else unmatched.push({ label: s.label, emails: s.emails, names: s.names, start: s.start, end: s.end });
  }
  unmatched.sort((a, b) => a.start.getTime() - b.start.getTime());
  return { matched: mergeShifts(matched), unmatched };
}

/** The shifts under way at an instant: start <= at < end. */
export const onCallAt = (shifts: Shift[], at: Date): Shift[] =>
  shifts
    .filter((s) => s.start.getTime() <= at.getTime() && at.getTime() < s.end.getTime())
    .sort((a, b) => a.start.getTime() - b.start.getTime() || a.userId.localeCompare(b.userId));
