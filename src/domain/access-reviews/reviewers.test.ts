import { describe, expect, it } from 'vitest';
import { actingFor, rowReviewers } from './reviewers.js';

describe("a row's reviewers", () => {
  it('are the primary reviewers but the row’s own user', () => {
    expect(rowReviewers(['a', 'b'], ['f'], 'c', false)).toEqual(['a', 'b']);
    expect(rowReviewers(['a', 'b'], ['f'], 'a', false)).toEqual(['b']);
  });

  it('fall back when that leaves nobody, again without the row’s own user', () => {
    expect(rowReviewers([], ['f', 'g'], 'c', false)).toEqual(['f', 'g']);
    expect(rowReviewers(['a'], ['f', 'a'], 'a', false)).toEqual(['f']);
    expect(rowReviewers(['a'], ['a'], 'a', false)).toEqual([]);
  });

  it('include the row’s own user when self-review is allowed', () => {
    expect(rowReviewers(['a', 'b', 'a'], ['f'], 'a', true)).toEqual(['a', 'b']);
  });
});

describe('whom a person acts for', () => {
  const now = new Date('2030-01-01T00:00:00Z');
  const until = (iso: string) => new Date(iso);
  it('is themself and those who delegated to them until a time still ahead', () => {
    const delegations = [
      { fromUserId: 'b', toUserId: 'a', until: until('2030-01-02T00:00:00Z') },
      { fromUserId: 'c', toUserId: 'a', until: until('2030-01-01T00:00:00Z') },
      { fromUserId: 'd', toUserId: 'x', until: until('2030-01-02T00:00:00Z') },
    ];
    expect(actingFor('a', delegations, now)).toEqual(['a', 'b']);
    expect(actingFor('x', delegations, now)).toEqual(['x', 'd']);
  });
});
