import { describe, expect, it } from 'vitest';
import { renderNotice } from './notice-messages.js';

const activation = {
  activationId: 'bga_1',
  group: { id: 'grp_1', name: 'prod-db' },
  user: { id: 'usr_1', email: 'alice@example.test' },
  reason: 'INC-42 primary down',
  activatedAt: '2030-01-01T00:00:00.000Z',
  expiresAt: '2030-01-01T12:00:00.000Z',
};

describe('notice messages', () => {
  it('names the group, the user, the reason and the expiry of a break-glass activation', () => {
    const m = renderNotice('break_glass.activated', activation);
    expect(m.subject).toBe('Break-glass: alice@example.test broke the glass on prod-db');
    for (const s of ['prod-db', 'alice@example.test', 'INC-42 primary down', '2030-01-01T12:00:00.000Z'])
      expect(m.text).toContain(s);
  });

  it('tells a reviewer that an access review started, with their rows and the deadline', () => {
    const m = renderNotice('access_review.started', {
      accessReview: { id: 'arv_1', name: 'Q3 production' },
      deadline: '2030-02-01T00:00:00.000Z',
      undecided: 12,
    });
    expect(m.subject).toBe('Access review "Q3 production" started: 12 rows for you to decide');
    for (const s of ['2030-02-01T00:00:00.000Z', 'Rows to decide: 12']) expect(m.text).toContain(s);
  });

  it('says how a break-glass activation ended and how it was reviewed', () => {
    expect(renderNotice('break_glass.ended', { ...activation, endReason: 'fixed' }).text).toContain(
      'End reason: fixed',
    );
    const reviewed = renderNotice('break_glass.reviewed', {
      ...activation,
      review: { status: 'justified', comment: 'ok' },
    });
    expect(reviewed.subject).toContain('justified');
    expect(reviewed.text).toContain('Comment: ok');
  });

  it('tells a holder that access expired or is about to', () => {
    const grant = {
      grantId: 'grt_1',
      item: { type: 'resource', id: 'res_1', name: 'billing' },
      accessLevel: 'read',
      source: 'request',
      expiresAt: '2030-01-02T00:00:00.000Z',
    };
    expect(renderNotice('grant.expired', grant).subject).toBe('Your access to billing (read) has expired');
    const soon = renderNotice('grant.expiring', { ...grant, reminder: 'expiring_1h' });
    expect(soon.subject).toBe('Your access to billing (read) ends in 1 hour');
    expect(soon.text).toContain('2030-01-02T00:00:00.000Z');
  });

  it('asks reviewers to review a request and tells requesters the decision', () => {
    const payload = {
      requestId: 'req_1',
      requesterId: 'usr_1',
      targetUserId: 'usr_1',
      reason: 'deploy',
      durationMinutes: 60,
      items: [
        { groupId: 'grp_1', status: 'pending' },
        { resourceId: 'res_1', accessLevel: 'read' },
      ],
    };
    const review = renderNotice('request.review_requested', payload);
    expect(review.subject).toBe('An access request awaits your review');
    expect(review.text).toContain('Reason: deploy');
    expect(review.text).toContain('- grp_1: pending\n- res_1 (read)');
    expect(renderNotice('request.approved', payload).subject).toBe('Access request approved');
  });

  it('renders kinds it does not know from their simple fields', () => {
    const m = renderNotice('shift.started', { scheduleId: 'sch_1', items: [1], note: null });
    expect(m.subject).toBe('Latch: shift.started');
    expect(m.text).toBe('scheduleId: sch_1');
  });
});
