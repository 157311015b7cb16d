import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReachTable, reachIn } from './reach-table.js';

describe('ReachTable', () => {
  it('answers like a map per node through inserts, updates, deletes, block moves and a bulk load', () => {
    const op = fc.record({
      del: fc.boolean(),
      t: fc.nat({ max: 6 }),
      a: fc.nat({ max: 40 }),
      reach: fc.oneof(fc.constant(Infinity), fc.integer({ min: 1, max: 10_000 })),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), fc.boolean(), (ops, preload) => {
        const model = Array.from({ length: 7 }, () => new Map<number, number>());
        const table = new ReachTable();
        if (preload) {
          for (let t = 0; t < 7; t++) for (let a = 100; a < 100 + t; a++) model[t]!.set(a, a * 3);
          table.load(model);
        }
        for (const o of ops) {
          if (o.del) {
            table.delete(o.t, o.a);
            model[o.t]!.delete(o.a);
          } else {
            table.set(o.t, o.a, o.reach);
            model[o.t]!.set(o.a, o.reach);
          }
        }
        for (let t = 0; t < 7; t++) {
          expect(table.to(t) - table.from(t)).toBe(2 * model[t]!.size);
          for (let a = 0; a < 110; a++) {
            const want = model[t]!.get(a) ?? -Infinity;
            expect(table.get(t, a)).toBe(want);
            expect(reachIn(table.keys, table.data, table.from(t), table.to(t), a)).toBe(want);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps each block as its sorted ancestors packed in the front half, then their reaches', () => {
    const table = new ReachTable();
    for (const a of [5, 1, 9, 3]) table.set(0, a, a * 10);
    table.delete(0, 9);
    const from = table.from(0);
    expect(table.to(0) - from).toBe(6);
    expect([...table.keys.subarray(2 * from, 2 * from + 3)]).toEqual([1, 3, 5]);
    expect([...table.data.subarray(from + 3, from + 6)]).toEqual([10, 30, 50]);
  });
});
