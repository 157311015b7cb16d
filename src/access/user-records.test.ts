import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { holdsId, packGrant, REC, slotOfGrant, UserRecords } from './user-records.js';

const USERS = 6;

/** How many records user `u` has: the span a check reads, from the first record to the block's end. */
const recordCount = (r: UserRecords, u: number) => (r.bounds[2 * u + 1]! - r.first(u)) / REC;

/** The records of user `u` as [grant, node, start, end, id] tuples, in block order. */
function blockOf(r: UserRecords, u: number): (number | string | undefined)[][] {
  const out: (number | string | undefined)[][] = [];
  const from = r.first(u);
  for (let at = from; at < from + recordCount(r, u) * REC; at += REC) {
    out.push([...r.data.subarray(at, at + REC), r.side[at / REC]]);
  }
  return out;
}

/** The grant of a [grant, node, start, end, id] tuple. */
const grantOf = (rec: (number | string | undefined)[]) => rec[0] as number;

const op = fc.oneof(
  fc.record({
    kind: fc.constant('append' as const),
    u: fc.nat({ max: USERS - 1 }),
    end: fc.integer({ min: 0, max: 9 }),
  }),
  fc.record({ kind: fc.constant('remove' as const), u: fc.nat({ max: USERS - 1 }), n: fc.nat() }),
  fc.record({
    kind: fc.constant('retime' as const),
    u: fc.nat({ max: USERS - 1 }),
    n: fc.nat(),
    end: fc.integer({ min: 0, max: 9 }),
  }),
);

describe('UserRecords', () => {
  it('keeps every user block equal to a plain list through appends, removals, moves and compactions', () => {
    // Without a bulk layout the arena starts empty, so the first appends already move blocks and rebuild it.
    const layout = fc.option(fc.array(fc.nat({ max: 3 }), { minLength: USERS, maxLength: USERS }));
    fc.assert(
      fc.property(layout, fc.array(op, { maxLength: 300 }), (initial, ops) => {
        const r = new UserRecords((u) => `usr_${u}`);
        const expected: (number | string | undefined)[][][] = Array.from({ length: USERS }, () => []);
        if (initial) r.layoutCounts(Int32Array.from(initial));
        let slot = 0;
        for (const o of ops) {
          const list = expected[o.u]!;
          if (o.kind === 'append') {
            const grant = packGrant(slot, o.end & 3);
            expect(r.append(o.u, `id${slot}`, grant, o.u * 10, 1, o.end)).toBe(list.length);
            list.push([grant, o.u * 10, 1, o.end, `id${slot++}`]);
          } else if (list.length > 0) {
            const i = o.n % list.length;
            if (o.kind === 'retime') {
              const [old, node, , , id] = list[i]!;
              const grant = packGrant(slotOfGrant(old as number), 3);
              r.update(o.u, i, grant, 2, o.end);
              list[i] = [grant, node, 2, o.end, id];
            } else {
              const moved = r.remove(o.u, i);
              const last = list.pop()!;
              if (i < list.length) list[i] = last;
              expect(moved).toBe(i < list.length ? slotOfGrant(grantOf(last)) : undefined);
            }
          }
          for (let u = 0; u < USERS; u++) expect(blockOf(r, u)).toEqual(expected[u]);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('UserRecords heads', () => {
  const ids = ['usr_0', 'usr_ü_é', `usr_${'x'.repeat(56)}`, 'u'.repeat(61), 'usr_\u4e2d', '', 'usr_1'];

  it("keeps each user's id at the head of their block through appends, removals, moves and rebuilds", () => {
    const ops = fc.array(fc.record({ u: fc.nat({ max: ids.length - 1 }), remove: fc.boolean() }), {
      maxLength: 200,
    });
    fc.assert(
      fc.property(ops, (list) => {
        const r = new UserRecords((u) => ids[u]!);
        const counts = ids.map(() => 0);
        for (const [i, o] of list.entries()) {
          if (o.remove && counts[o.u]! > 0) {
            r.remove(o.u, 0);
            counts[o.u]!--;
          } else {
            r.append(o.u, `g${i}`, packGrant(i, 0), 1, 0, 1);
            counts[o.u]!++;
          }
          for (const [u, id] of ids.entries()) {
            // A user's block exists from their first record on, and keeps its head when the records go.
            if (2 * u >= r.bounds.length || r.bounds[2 * u + 1] === r.bounds[2 * u]) continue;
            expect(recordCount(r, u)).toBe(counts[u]);
            // A head holds an id of up to 60 Latin-1 characters, and confirms no other id.
            const held = id.length <= 60 && [...id].every((c) => c.charCodeAt(0) <= 0xff);
            expect(ids.map((other) => holdsId(r.words, r.first(u), other))).toEqual(
              ids.map((other) => held && other === id),
            );
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it('confirms no id with a character above U+00FF, even where its bytes pack like the held one', () => {
    const r = new UserRecords(() => '\u0000\u0001ab');
    r.append(0, 'g', 0, 1, 0, 1);
    expect(holdsId(r.words, r.first(0), '\u0000\u0001ab')).toBe(true);
    // 0x100 | 0x00 << 8 packs to the same integer as 0x00 | 0x01 << 8.
    expect(holdsId(r.words, r.first(0), '\u0100\u0000ab')).toBe(false);
    expect(holdsId(r.words, r.first(0), '\u0000\u0001ac')).toBe(false);
    expect(holdsId(r.words, r.first(0), '\u0000\u0001a')).toBe(false);
  });
});
