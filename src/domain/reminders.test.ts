import { describe, expect, it } from 'vitest';
import { leadText, reminderIsDue, remindersFor } from './reminders.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const start = new Date('2030-01-01T00:00:00Z');
const grant = (source: 'direct' | 'break_glass', durationMs: number | null) => ({
  source,
  startsAt: start,
  expiresAt: durationMs === null ? null : new Date(start.getTime() + durationMs),
});
const kinds = (g: ReturnType<typeof grant>) => remindersFor(g).map((r) => r.kind);

describe('reminder rules', () => {
  it('reminds 1 h before the end of a grant of 4 h or more, not of a shorter one', () => {
    expect(kinds(grant('direct', 4 * HOUR))).toEqual(['expiring_1h']);
    expect(kinds(grant('direct', 4 * HOUR - MIN))).toEqual([]);
    expect(remindersFor(grant('direct', 5 * HOUR))[0]!.at).toEqual(new Date(start.getTime() + 4 * HOUR));
  });

  it('reminds 1 day and 1 h before the end of a grant of 3 days or more', () => {
    const r = remindersFor(grant('direct', 3 * DAY));
    expect(r.map((x) => x.kind)).toEqual(['expiring_1d', 'expiring_1h']);
    expect(r[0]!.at).toEqual(new Date(start.getTime() + 2 * DAY));
    expect(kinds(grant('direct', 3 * DAY - MIN))).toEqual(['expiring_1h']);
  });

  it('reminds break-glass holders 30 min before the end, and only then', () => {
    expect(kinds(grant('break_glass', 12 * HOUR))).toEqual(['expiring_30m']);
    expect(remindersFor(grant('break_glass', HOUR))[0]!.at).toEqual(new Date(start.getTime() + 30 * MIN));
    expect(kinds(grant('break_glass', 30 * MIN))).toEqual([]);
    expect(kinds(grant('direct', 12 * HOUR))).not.toContain('expiring_30m');
  });

  it('never reminds about a grant without an end', () => {
    expect(kinds(grant('direct', null))).toEqual([]);
  });

  it('is due from its time until the expiry', () => {
    const at = new Date(start.getTime() + HOUR);
    const end = new Date(start.getTime() + 2 * HOUR);
    expect(reminderIsDue(at, end, new Date(at.getTime() - 1))).toBe(false);
    expect(reminderIsDue(at, end, at)).toBe(true);
    expect(reminderIsDue(at, end, end)).toBe(false);
  });

  it('words the lead for messages', () => {
    expect(leadText('expiring_1d')).toBe('in 1 day');
    expect(leadText('expiring_1h')).toBe('in 1 hour');
    expect(leadText('expiring_30m')).toBe('in 30 minutes');
    expect(leadText('other')).toBe('soon');
  });
});
