import { describe, expect, it } from 'vitest';
import { renderNotice } from '../notice-messages.js';
import {
  REVIEW_REMINDER_RULES,
  reviewLeadText,
  reviewReminderApplies,
  reviewReminderAt,
} from './reminders.js';

const [week, day, hour] = REVIEW_REMINDER_RULES as [
  (typeof REVIEW_REMINDER_RULES)[number],
  (typeof REVIEW_REMINDER_RULES)[number],
  (typeof REVIEW_REMINDER_RULES)[number],
];
const deadline = new Date('2030-01-15T00:00:00Z');

describe('reminders of a campaign', () => {
  it('fall 7 days, 1 day and 1 hour before the deadline', () => {
    expect(reviewReminderAt(week, deadline)).toEqual(new Date('2030-01-08T00:00:00Z'));
    expect(reviewReminderAt(day, deadline)).toEqual(new Date('2030-01-14T00:00:00Z'));
    expect(reviewReminderAt(hour, deadline)).toEqual(new Date('2030-01-14T23:00:00Z'));
    expect([week, day, hour].map((r) => reviewLeadText(r.kind))).toEqual([
      'in 7 days',
      'in 1 day',
      'in 1 hour',
    ]);
  });

  it('apply only to campaigns already running at their time', () => {
    const created = new Date('2030-01-10T00:00:00Z');
    expect(reviewReminderApplies(week, created, deadline)).toBe(false);
    expect(reviewReminderApplies(day, created, deadline)).toBe(true);
    expect(reviewReminderApplies(hour, created, deadline)).toBe(true);
  });
});

describe('the reminder as people read it', () => {
  it('names the campaign, the lead and the rows left', () => {
    const m = renderNotice('access_review.reminder', {
      accessReview: { id: 'arv_1', name: 'Q3 payroll' },
      deadline: '2030-01-15T00:00:00.000Z',
      undecided: 4,
      reminder: 'due_1d',
    });
    expect(m.subject).toBe('Access review "Q3 payroll" closes in 1 day: 4 rows to decide');
    expect(m.text).toContain('Deadline: 2030-01-15T00:00:00.000Z');
  });
});
