// Read-optimised mirrors of the graph for the check path, in shared arenas: a node's ancestors with their reach
// (sorted, for binary search), and a node's out-edges. A check finds a block through one pair of offsets and reads
// it contiguously, instead of a map object and its separate hash table or an array of edge objects.

import { BlockArena } from './block-arena.js';
import type { BoundsMirror } from './id-directory.js';

/**
 * Per node t: its m ancestors `a` with reach(a, t), as one block of 2m numbers: the ancestors sorted, then the
 * reaches in the same order. A check binary-searches the keys alone, so its probes touch half the cache lines
 * that interleaved (ancestor, reach) pairs would, and reads a reach only on a hit.
 */
export class ReachTable extends BlockArena {
  constructor(mirror?: BoundsMirror) {
    super(0, mirror);
  }

  /** reach(a, t) when `a` is an ancestor of `t`, else -Infinity. */
  get(t: number, a: number): number {
    if (2 * t >= this.bounds.length) return -Infinity;
    return reachIn(this.data, this.bounds[2 * t]!, this.bounds[2 * t + 1]!, a);
  }

  /** Where t's block starts in `data`; with `to`, for many `reachIn` calls on one node. */
  from(t: number): number {
    return 2 * t < this.bounds.length ? this.bounds[2 * t]! : 0;
  }

  to(t: number): number {
    return 2 * t < this.bounds.length ? this.bounds[2 * t + 1]! : 0;
  }

  set(t: number, a: number, reach: number): void {
    const from = this.from(t);
    const m = (this.to(t) - from) >> 1;
    const i = keyIndex(this.data, from, from + m, a);
    if (i >= 0) {
      this.data[i + m] = reach;
      return;
    }
    // The block may move while growing: keep the insertion point relative to its start.
    const rel = -i - 1 - from;
    this.grow(t, 2);
    const at = this.bounds[2 * t]!;
    const values = at + m;
    const data = this.data;
    // From the back: reaches after the insertion point move two places, those before it and the keys after it one.
    data.copyWithin(values + rel + 2, values + rel, values + m);
    data.copyWithin(values + 1, values, values + rel);
    data.copyWithin(at + rel + 1, at + rel, at + m);
    data[at + rel] = a;
    data[values + 1 + rel] = reach;
    this.setEnd(t, at + 2 * m + 2);
  }

  delete(t: number, a: number): void {
    const from = this.from(t);
    const m = (this.to(t) - from) >> 1;
    const i = keyIndex(this.data, from, from + m, a);
    if (i < 0) return;
    const rel = i - from;
    const data = this.data;
    // From the front: keys after the removed one move one place, the reaches before it one, those after it two.
    data.copyWithin(i, i + 1, from + m);
    data.copyWithin(from + m - 1, from + m, from + m + rel);
    data.copyWithin(from + m - 1 + rel, from + m + rel + 1, from + 2 * m);
    this.setEnd(t, from + 2 * m - 2);
  }

  /** Bulk load from complete ancestor maps. Must be empty. */
  load(anc: readonly (ReadonlyMap<number, number> | undefined)[]): void {
    this.layout(Array.from(anc, (m) => 2 * (m?.size ?? 0)));
    for (let t = 0; t < anc.length; t++) {
      const m = anc[t];
      if (!m) continue;
      const at = this.bounds[2 * t]!;
      const keys = Float64Array.from(m.keys()).sort();
      this.data.set(keys, at);
      for (let j = 0; j < keys.length; j++) this.data[at + keys.length + j] = m.get(keys[j]!)!;
      this.setEnd(t, at + 2 * keys.length);
    }
  }
}

/** The reach stored for ancestor `a` in the block `data[from, to)`, else -Infinity. */
export function reachIn(data: Float64Array, from: number, to: number, a: number): number {
  const m = (to - from) >> 1;
  const i = keyIndex(data, from, from + m, a);
  return i < 0 ? -Infinity : data[i + m]!;
}

/** Binary search for `a` among the sorted keys `data[from, to)`: its index, or -(insertion index) - 1. */
function keyIndex(data: Float64Array, from: number, to: number, a: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const k = data[mid]!;
    if (k === a) return mid;
    if (k < a) lo = mid + 1;
    else hi = mid;
  }
  return -lo - 1;
}

/** Per node: pairs (child, end) for its out-edges, in no particular order; parallel edges are separate pairs. */
export class OutTable extends BlockArena {
  add(parent: number, child: number, end: number): void {
    const at = this.grow(parent, 2);
    this.data[at] = child;
    this.data[at + 1] = end;
    this.setEnd(parent, at + 2);
  }

  /** Drops one pair equal to (child, end), moving the last pair into its place. */
  remove(parent: number, child: number, end: number): void {
    const to = this.bounds[2 * parent + 1]!;
    for (let i = this.bounds[2 * parent]!; i < to; i += 2) {
      if (this.data[i] !== child || this.data[i + 1] !== end) continue;
      this.data.copyWithin(i, to - 2, to);
      this.setEnd(parent, to - 2);
      return;
    }
  }
}
