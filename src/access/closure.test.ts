// The closure after any sequence of edge changes must equal the widest-path values computed from scratch.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NestingGraph } from './closure.js';

const GROUPS = 5; // nodes 0..4 are groups; 5 and 6 are resource leaves, which are never parents
const NODES = 7;

interface E {
  id: string;
  parent: number;
  child: number;
  end: number;
}

/** reach[a][d] = max over all paths a -> d of the earliest edge end; undefined when there is no path. */
function bruteForce(edges: E[]): (number | undefined)[][] {
  const reach = Array.from({ length: NODES }, () => new Array<number | undefined>(NODES).fill(undefined));
  const walk = (a: number, x: number, width: number, seen: Set<number>) => {
    for (const e of edges) {
      if (e.parent !== x || seen.has(e.child)) continue;
      const w = Math.min(width, e.end);
      const row = reach[a]!;
      row[e.child] = Math.max(row[e.child] ?? -Infinity, w);
      seen.add(e.child);
      walk(a, e.child, w, seen);
      seen.delete(e.child);
    }
  };
  for (let a = 0; a < NODES; a++) walk(a, a, Infinity, new Set([a]));
  return reach;
}

function expectClosure(g: NestingGraph, edges: E[]) {
  const reach = bruteForce(edges);
  for (let a = 0; a < NODES; a++) {
    for (let d = 0; d < NODES; d++) {
      const want = reach[a]![d];
      expect(g.anc[d]?.get(a), `reach(${a}, ${d})`).toBe(want);
      expect(g.desc[a]?.get(d), `reach(${a}, ${d}) from above`).toBe(want);
      expect(g.reach.get(d, a), `reach(${a}, ${d}) in the table`).toBe(want ?? -Infinity);
    }
  }
  for (let a = 0; a < NODES; a++) {
    const { data, bounds } = g.outPairs;
    const actual =
      a < g.outPairs.bounds.length / 2 ? [...data.subarray(bounds[2 * a], bounds[2 * a + 1])] : [];
    const pairsOf = (flat: number[]) =>
      Array.from({ length: flat.length / 2 }, (_, i) => `${flat[2 * i]}:${flat[2 * i + 1]}`);
    const expected = edges.filter((e) => e.parent === a).flatMap((e) => [e.child, e.end]);
    expect(pairsOf(actual).sort(), `out-edges of ${a}`).toEqual(pairsOf(expected).sort());
  }
  const pairs = reach.flat().filter((r) => r !== undefined).length;
  expect(g.closureSize()).toBe(pairs);
}

const end = fc.oneof(
  fc.constant(Infinity),
  fc.integer({ min: 0, max: 5 }).map((t) => t * 10),
);
const op = fc.oneof(
  fc.record({
    kind: fc.constantFrom('upsert' as const, 'upsert' as const, 'remove' as const),
    id: fc.constantFrom('e0', 'e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7', 'e8', 'e9', 'e10', 'e11'),
    parent: fc.nat({ max: GROUPS - 1 }),
    child: fc.nat({ max: NODES - 1 }),
    end,
  }),
  // A new end for an existing edge: the in-place widening and narrowing paths.
  fc.record({ kind: fc.constant('retime' as const), n: fc.nat(), end }),
);

function apply(steps: Array<[id: string, parent: number, child: number, end: number] | string>) {
  const g = new NestingGraph();
  const edges = new Map<string, E>();
  for (const step of steps) {
    if (typeof step === 'string') {
      g.remove(step);
      edges.delete(step);
    } else {
      const [id, parent, child, end] = step;
      g.upsert(id, parent, child, end);
      edges.set(id, { id, parent, child, end });
    }
    expectClosure(g, [...edges.values()]);
  }
}

describe('NestingGraph closure', () => {
  it('narrows a pair to the widest of its remaining parallel edges', () => {
    apply([['narrow', 0, 1, 0], ['wide', 0, 1, Infinity], ['wide', 0, 1, 10], 'wide']);
  });

  it('recomputes descendants added out of topological order, parents first', () => {
    apply([['pc', 0, 1, Infinity], ['cd', 1, 3, Infinity], ['xd', 2, 3, Infinity], ['cx', 1, 2, 20], 'pc']);
    apply([
      ['pc', 0, 1, Infinity],
      ['cd', 1, 3, 10],
      ['xd', 2, 3, Infinity],
      ['cx', 1, 2, 20],
      ['pc', 0, 1, 30],
    ]);
  });

  it('keeps the wider branch of a diamond when an edge above it narrows', () => {
    apply([
      ['l', 1, 2, 10],
      ['r', 1, 3, 40],
      ['ld', 2, 4, Infinity],
      ['rd', 3, 4, Infinity],
      ['top', 0, 1, Infinity],
      ['top', 0, 1, 30],
    ]);
    apply([
      ['r', 1, 3, 40],
      ['l', 1, 2, 10],
      ['rd', 3, 4, Infinity],
      ['ld', 2, 4, Infinity],
      ['top', 0, 1, Infinity],
      'r',
    ]);
  });

  it('equals the from-scratch widest paths after every change, and a fresh load at the end', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const g = new NestingGraph();
        const edges = new Map<string, E>();
        for (const o of ops) {
          if (o.kind === 'retime') {
            const e = [...edges.values()][o.n % Math.max(1, edges.size)];
            if (e) {
              g.upsert(e.id, e.parent, e.child, o.end);
              e.end = o.end;
            }
          } else if (o.kind === 'remove') {
            g.remove(o.id);
            edges.delete(o.id);
          } else {
            const others = [...edges.values()].filter((e) => e.id !== o.id);
            const cycle = o.parent === o.child || bruteForce(others)[o.child]![o.parent] !== undefined;
            expect(g.upsert(o.id, o.parent, o.child, o.end)).toBe(!cycle);
            if (!cycle) edges.set(o.id, { id: o.id, parent: o.parent, child: o.child, end: o.end });
          }
          expectClosure(g, [...edges.values()]);
        }
        const loaded = new NestingGraph();
        loaded.load([...edges.values()].map((e) => ({ ...e })));
        expectClosure(loaded, [...edges.values()]);
      }),
      { numRuns: 600 },
    );
  });
});
