import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IdDirectory } from './id-directory.js';
import { hash } from './string-ids.js';
import { UserRecords } from './user-records.js';

describe('IdDirectory', () => {
  it('finds every id with its number and the last bounds given for that number, through growth', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('add' as const), id: fc.string({ maxLength: 4 }) }),
      fc.record({
        kind: fc.constant('bounds' as const),
        n: fc.nat({ max: 400 }),
        from: fc.nat({ max: 1000 }),
        length: fc.nat({ max: 50 }),
      }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), fc.array(fc.string({ maxLength: 4 })), (ops, reads) => {
        const dir = new IdDirectory();
        const numberOf = new Map<string, number>();
        const boundsOf = new Map<number, [number, number]>();
        for (const o of ops) {
          if (o.kind === 'add') {
            if (numberOf.has(o.id)) continue;
            dir.add(o.id, numberOf.size);
            numberOf.set(o.id, numberOf.size);
          } else {
            dir.setBounds(o.n, o.from, o.from + o.length);
            if (o.n < numberOf.size) boundsOf.set(o.n, [o.from, o.from + o.length]);
          }
        }
        for (const id of [...numberOf.keys(), ...reads]) {
          const n = numberOf.get(id);
          const row = dir.find(id);
          expect(dir.get(id)).toBe(n);
          if (n === undefined) {
            expect(row).toBe(-1);
            continue;
          }
          expect(dir.numberAt(row)).toBe(n);
          expect([dir.blockFrom(row), dir.blockTo(row)]).toEqual(boundsOf.get(n) ?? [0, 0]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("mirrors an arena's bounds through appends, removals, block moves and rebuilds", () => {
    const dir = new IdDirectory();
    const records = new UserRecords((u) => `usr_${u}`, dir);
    const users = 300;
    for (let u = 0; u < users; u++) dir.add(`usr_${u}`, u);
    for (let i = 0; i < 5000; i++) {
      const u = (i * 7919) % users;
      if (i % 5 === 4 && records.bounds[2 * u + 1]! > records.first(u)) records.remove(u, 0);
      else records.append(u, `grt_${i}`, i * 4, u, 0, 1);
    }
    for (let u = 0; u < users; u++) {
      const row = dir.find(`usr_${u}`);
      expect([dir.blockFrom(row), dir.blockTo(row)]).toEqual([records.first(u), records.bounds[2 * u + 1]]);
    }
  });

  it('tells apart ids whose hashes collide, by comparing the strings', () => {
    // A row's tag is its id's hash: ids are compared as strings only where tags match. Find ids with equal hashes,
    // so both start probing at the same row and only the string comparison can tell them apart.
    const byTag = new Map<number, string>();
    const pairs: [string, string][] = [];
    for (let i = 0; pairs.length < 3; i++) {
      const id = `usr_${i}`;
      const tag = hash(id);
      const other = byTag.get(tag);
      if (other === undefined) byTag.set(tag, id);
      else pairs.push([other, id]);
    }
    for (const [a, b] of pairs) {
      const dir = new IdDirectory();
      dir.add(a, 1, 10, 20);
      expect(dir.find(b)).toBe(-1);
      dir.add(b, 2, 30, 40);
      const ra = dir.find(a);
      const rb = dir.find(b);
      expect([dir.numberAt(ra), dir.blockFrom(ra), dir.blockTo(ra)]).toEqual([1, 10, 20]);
      expect([dir.numberAt(rb), dir.blockFrom(rb), dir.blockTo(rb)]).toEqual([2, 30, 40]);
      // findTag stops at the first row with the tag, whichever id it holds; -1 only where no row has the tag.
      expect([dir.findTag(a), dir.findTag(b)]).toEqual([ra, ra]);
      expect(dir.findTag('usr_absent')).toBe(-1);
    }
  });

  it('holds many ids', () => {
    const dir = new IdDirectory();
    for (let i = 0; i < 50_000; i++) dir.add(`usr_${i}`, i, i, i + 1);
    for (let i = 0; i < 50_000; i += 997) expect(dir.blockTo(dir.find(`usr_${i}`))).toBe(i + 1);
    expect(dir.find('usr_50000')).toBe(-1);
  });
});
