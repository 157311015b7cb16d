import { describe, expect, it } from 'vitest';
import { needsDecision, parseReviewInput, type ReviewInput } from './campaign.js';

const now = new Date('2030-01-01T00:00:00Z');
const input: ReviewInput = {
  name: ' Q1 ',
  scope: { groupIds: ['grp_a', 'grp_a'] },
  reviewers: { type: 'owners' },
  deadline: '2030-01-15T00:00:00Z',
};
const refusal = (i: ReviewInput) => {
  try {
    parseReviewInput(i, now);
  } catch (err) {
    return (err as { code: string; errors: { field: string }[] }).errors[0]!.field;
  }
  return undefined;
};

describe('a campaign as asked for', () => {
  it('is trimmed and deduplicated, with defaults', () => {
    expect(parseReviewInput(input, now)).toEqual({
      name: 'Q1',
      scope: { groupIds: ['grp_a'], resourceIds: [], connectionIds: [], everything: false },
      reviewers: { type: 'owners', userIds: [], fallbackUserIds: [] },
      deadline: new Date('2030-01-15T00:00:00Z'),
      autoRevokeUnreviewed: false,
      allowSelfReview: false,
    });
  });

  it('needs a future deadline, a scope, and reviewers named only with type users', () => {
    expect(refusal({ ...input, deadline: '2029-12-31T23:59:59Z' })).toBe('deadline');
    expect(refusal({ ...input, deadline: now.toISOString() })).toBe('deadline');
    expect(refusal({ ...input, deadline: '2030-02-30T00:00:00Z' })).toBe('deadline');
    expect(refusal({ ...input, scope: {} })).toBe('scope');
    expect(refusal({ ...input, scope: { everything: true } })).toBeUndefined();
    expect(refusal({ ...input, reviewers: { type: 'users' } })).toBe('reviewers.userIds');
    expect(refusal({ ...input, reviewers: { type: 'admins', userIds: ['usr_a'] } })).toBe(
      'reviewers.userIds',
    );
    expect(refusal({ ...input, name: '  ' })).toBe('name');
  });
});

describe('whether a row needs a decision', () => {
  const deadline = new Date('2030-01-15T00:00:00Z');
  it('does unless the access ends by the deadline on its own', () => {
    expect(needsDecision(null, deadline)).toBe(true);
    expect(needsDecision(new Date('2030-01-15T00:00:01Z'), deadline)).toBe(true);
    expect(needsDecision(deadline, deadline)).toBe(false);
    expect(needsDecision(new Date('2030-01-02T00:00:00Z'), deadline)).toBe(false);
  });
});
