// When reviewers with undecided rows are reminded of a campaign's deadline. Each rule is sent once per campaign
// (recorded by kind); the store has the SQL twin of `reviewReminderApplies` (src/store/due-access-reviews.ts).

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface ReviewReminderRule {
  kind: string;
  leadMs: number;
}

export const REVIEW_REMINDER_RULES: readonly ReviewReminderRule[] = [
  { kind: 'due_7d', leadMs: 7 * DAY },
  { kind: 'due_1d', leadMs: DAY },
  { kind: 'due_1h', leadMs: HOUR },
];

export const reviewReminderAt = (rule: ReviewReminderRule, deadline: Date) =>
  new Date(deadline.getTime() - rule.leadMs);

/** A campaign started after a reminder's time has just told its reviewers everything that reminder would. */
export const reviewReminderApplies = (rule: ReviewReminderRule, createdAt: Date, deadline: Date) =>
  createdAt.getTime() < reviewReminderAt(rule, deadline).getTime();

export function reviewLeadText(kind: string): string {
  const rule = REVIEW_REMINDER_RULES.find((r) => r.kind === kind);
  if (!rule) return 'soon';
  if (rule.leadMs >= DAY) return `in ${rule.leadMs / DAY} day${rule.leadMs === DAY ? '' : 's'}`;
  return `in ${rule.leadMs / HOUR} hour${rule.leadMs === HOUR ? '' : 's'}`;
}
