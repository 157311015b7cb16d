import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StringIds } from './string-ids.js';

describe('StringIds', () => {
  it('answers like a Map through inserts, overwrites, deletes, reservations and growth', () => {
    const key = fc.oneof(fc.string({ maxLength: 3 }), fc.constantFrom('usr_000001', 'usr_000002', ''));
    const op = fc.oneof(
      fc.tuple(fc.constant('set' as const), key, fc.nat()),
      fc.tuple(fc.constant('delete' as const), key, fc.nat()),
      fc.tuple(fc.constant('reserve' as const), key, fc.nat({ max: 300 })),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), fc.array(key), (ops, reads) => {
        const ids = new StringIds();
        const expected = new Map<string, number>();
        for (const [kind, k, v] of ops) {
          if (kind === 'set') {
            ids.set(k, v);
            expected.set(k, v);
          } else if (kind === 'delete') {
            expect(ids.delete(k)).toBe(expected.delete(k));
          } else {
            ids.reserve(v);
          }
          expect(ids.size).toBe(expected.size);
        }
        for (const k of [...expected.keys(), ...reads]) expect(ids.get(k)).toBe(expected.get(k));
      }),
      { numRuns: 300 },
    );
  });

  it('holds many keys', () => {
    const ids = new StringIds();
    for (let i = 0; i < 50_000; i++) ids.set(`grp_${i}`, i);
    expect(ids.size).toBe(50_000);
    for (let i = 0; i < 50_000; i += 997) expect(ids.get(`grp_${i}`)).toBe(i);
    expect(ids.get('grp_50000')).toBeUndefined();
  });
});
