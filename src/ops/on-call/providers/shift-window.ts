import type { ProviderShift } from '../../../domain/on-call/shifts.js';

// What every provider client does with the shifts it read: keep them inside the asked window [since, until),
// drop what is left empty, and report each distinct shift once (providers repeat a shift when a schedule is
// reached through several escalation levels or policies).

export type Person = Pick<ProviderShift, 'emails' | 'names' | 'label'>;

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function nonEmptyString(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** An instant a provider wrote; `undefined` for a missing or null value, `null` when unreadable. */
export function instant(v: unknown): Date | undefined | null {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** The shift clipped to [since, until), or null when nothing of it is left. */
export function clipped(
  person: Person,
  start: Date,
  end: Date,
  since: Date,
  until: Date,
): ProviderShift | null {
  const s = Math.max(start.getTime(), since.getTime());
  const e = Math.min(end.getTime(), until.getTime());
  return e > s ? { start: new Date(s), end: new Date(e), ...person } : null;
}

export function distinctShifts(shifts: ProviderShift[]): ProviderShift[] {
  const seen = new Set<string>();
  const out: ProviderShift[] = [];
  for (const s of shifts) {
    const key = JSON.stringify([s.start.getTime(), s.end.getTime(), s.label, s.emails, s.names]);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(s);
  }
  return out.sort((a, b) => a.start.getTime() - b.start.getTime() || a.label.localeCompare(b.label));
}

/**
 * The person a provider's user identifiers designate, most trustworthy first: those that are e-mail addresses
 * go to `emails`, the others (display names, handles) to `names`.
 */
export function person(label: string, identifiers: (string | undefined)[]): Person {
  const ids = [...new Set(identifiers.filter((c): c is string => c !== undefined))];
  return { emails: ids.filter((id) => EMAIL.test(id)), names: ids.filter((id) => !EMAIL.test(id)), label };
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;
