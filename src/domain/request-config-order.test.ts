import { describe, expect, it } from 'vitest';
import { firstApplying, triedOrder } from './request-config-order.js';

const e = (priority: number, groupIds: string[] | null) => ({
  priority,
  condition: groupIds ? { groupIds } : null,
});

describe('the order request configuration entries are tried in', () => {
  it('puts entries with a condition first by priority and the default last, whatever its priority', () => {
    const list = [e(1, null), e(9, ['b']), e(5, ['a']), e(3, null)];
    expect(triedOrder(list).map((x) => x.priority)).toEqual([5, 9, 1, 3]);
  });
  it('applies the first conditional entry the person meets, else the first default', () => {
    const list = [e(1, null), e(9, ['b']), e(5, ['a'])];
    expect(firstApplying(list, (g) => g === 'b')?.priority).toBe(9);
    expect(firstApplying(list, () => false)?.priority).toBe(1);
  });
});
