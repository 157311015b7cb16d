import type { GrantSource } from './access-facts.js';

// When a grant's holder is told that their access is about to end. Each rule has a kind (recorded once per
// grant, so a reminder is sent once), a lead time before the expiry, and the grants it applies to. The store
// has the SQL twin of `applies` (see remindersDue in src/store/due-grants.ts); both read these numbers.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface ReminderRule {
  kind: string;
  leadMs: number;
  /** Break-glass windows have their own rule; the others apply to every other source. */
  breakGlass: boolean;
  /** The shortest window (expiry minus start) the rule applies to. */
  minDurationMs: number;
}

export const REMINDER_RULES: readonly ReminderRule[] = [
  { kind: 'expiring_1d', leadMs: DAY, breakGlass: false, minDurationMs: 3 * DAY },
  { kind: 'expiring_1h', leadMs: HOUR, breakGlass: false, minDurationMs: 4 * HOUR },
  // Longer than the lead: a reminder at the very start of a window would say nothing new.
  { kind: 'expiring_30m', leadMs: 30 * MINUTE, breakGlass: true, minDurationMs: 31 * MINUTE },
];

export interface RemindableGrant {
  source: GrantSource;
  startsAt: Date;
  expiresAt: Date | null;
}

export function ruleApplies(rule: ReminderRule, g: RemindableGrant): boolean {
  if (g.expiresAt === null) return false;
  if (rule.breakGlass !== (g.source === 'break_glass')) return false;
  return g.expiresAt.getTime() - g.startsAt.getTime() >= rule.minDurationMs;
}

/** When the rule's reminder for the grant falls due. */
export const reminderAt = (rule: ReminderRule, expiresAt: Date) =>
  new Date(expiresAt.getTime() - rule.leadMs);

/** The reminders a grant gets, earliest first. */
export function remindersFor(g: RemindableGrant): { kind: string; at: Date }[] {
  return REMINDER_RULES.filter((r) => ruleApplies(r, g))
    .map((r) => ({ kind: r.kind, at: reminderAt(r, g.expiresAt!) }))
    .sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** A reminder is worth sending from its time until the grant ends; after the expiry it would be news of the past. */
export const reminderIsDue = (at: Date, expiresAt: Date, now: Date) =>
  at.getTime() <= now.getTime() && now.getTime() < expiresAt.getTime();

/** Human wording of the lead, for messages. */
export function leadText(kind: string): string {
  const rule = REMINDER_RULES.find((r) => r.kind === kind);
  if (!rule) return 'soon';
  if (rule.leadMs >= DAY) return `in ${rule.leadMs / DAY} day${rule.leadMs === DAY ? '' : 's'}`;
  if (rule.leadMs >= HOUR) return `in ${rule.leadMs / HOUR} hour${rule.leadMs === HOUR ? '' : 's'}`;
  return `in ${rule.leadMs / MINUTE} minutes`;
}
