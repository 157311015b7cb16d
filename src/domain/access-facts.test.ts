import { describe, expect, it } from 'vitest';
import { earliestEnd, grantTarget, isActive, latestEnd, sameTarget, type GrantFact } from './access-facts.js';

describe('access facts', () => {
  it('counts a window from its start, inclusive, to its end, exclusive', () => {
    expect(isActive(100, 200, 99)).toBe(false);
    expect(isActive(100, 200, 100)).toBe(true);
    expect(isActive(100, 200, 199)).toBe(true);
    expect(isActive(100, 200, 200)).toBe(false);
    expect(isActive(100, null, Number.MAX_SAFE_INTEGER)).toBe(true);
  });

  it('treats a null end as later than any time', () => {
    expect(earliestEnd(null, 5)).toBe(5);
    expect(earliestEnd(3, 5)).toBe(3);
    expect(earliestEnd(null, null)).toBeNull();
    expect(latestEnd(null, 5)).toBeNull();
    expect(latestEnd(3, 5)).toBe(5);
  });

  it('names the item of a grant and refuses a grant on nothing', () => {
    const g: GrantFact = {
      id: 'a',
      userId: 'u',
      groupId: null,
      resourceId: 'db',
      accessLevel: 'read',
      source: 'direct',
      startsAt: 0,
      endsAt: null,
    };
    expect(sameTarget(grantTarget(g), { resourceId: 'db', accessLevel: 'read' })).toBe(true);
    expect(sameTarget(grantTarget(g), { resourceId: 'db', accessLevel: 'admin' })).toBe(false);
    expect(() => grantTarget({ ...g, resourceId: null })).toThrow(/neither/);
  });
});
