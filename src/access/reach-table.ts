// Read-optimised mirrors of the graph for the check path, in shared arenas: a node's ancestors with their reach
// (sorted, for binary search), and a node's out-edges. A check finds a block through one pair of offsets and reads
// it contiguously, instead of a map object and its separate hash table or an array of edge objects.

import { BlockArena } from './block-arena.js';
import type { BoundsMirror } from './id-directory.js';

/** Per node t: pairs (ancestor, reach(ancestor, t)) sorted by ancestor. */
export class ReachTable extends BlockArena {
  constructor(mirror?: BoundsMirror) {
    super(0, mirror);
  }

  /** reach(a, t) when `a` is an ancestor of `t`, else -Infinity. */
  get(t: number, a: number): number {
    if (2 * t >= this.bounds.length) return -Infinity;
    return reachIn(this.data, this.bounds[2 * t]!, this.bounds[2 * t + 1]!, a);
  }

  /** Where t's pairs start in `data`; with `to`, for many `reachIn` calls on one node. */
  from(t: number): number {
    return 2 * t < this.bounds.length ? this.bounds[2 * t]! : 0;
  }

  to(t: number): number {
    return 2 * t < this.bounds.length ? this.bounds[2 * t + 1]! : 0;
  }

  set(t: number, a: number, reach: number): void {
    const i = this.find(t, a);
    if (i >= 0) {
      this.data[i + 1] = reach;
      return;
    }
    // The block may move while growing: keep the insertion point relative to its start.
    const offset = 2 * t < this.bounds.length ? -i - 1 - this.bounds[2 * t]! : 0;
    const end = this.grow(t, 2);
    const at = this.bounds[2 * t]! + offset;
    this.data.copyWithin(at + 2, at, end);
    this.data[at] = a;
    this.data[at + 1] = reach;
    this.setEnd(t, end + 2);
  }

  delete(t: number, a: number): void {
    const i = this.find(t, a);
    if (i < 0) return;
    const end = this.bounds[2 * t + 1]!;
    this.data.copyWithin(i, i + 2, end);
    this.setEnd(t, end - 2);
  }

  /** Bulk load from complete ancestor maps. Must be empty. */
  load(anc: readonly (ReadonlyMap<number, number> | undefined)[]): void {
    this.layout(Array.from(anc, (m) => 2 * (m?.size ?? 0)));
    for (let t = 0; t < anc.length; t++) {
      const m = anc[t];
      if (!m) continue;
      let at = this.bounds[2 * t]!;
      for (const a of Float64Array.from(m.keys()).sort()) {
        this.data[at++] = a;
        this.data[at++] = m.get(a)!;
      }
      this.setEnd(t, at);
    }
  }

  /** The index of `a`'s pair in t's block, or -(insertion index) - 1. */
  private find(t: number, a: number): number {
    return pairIndex(this.data, this.bounds[2 * t] ?? 0, this.bounds[2 * t + 1] ?? 0, a);
  }
}

/** The reach stored for ancestor `a` among the sorted pairs in `data[from, to)`, else -Infinity. */
export function reachIn(data: Float64Array, from: number, to: number, a: number): number {
  const i = pairIndex(data, from, to, a);
  return i < 0 ? -Infinity : data[i + 1]!;
}

/** Binary search for key `a` among the sorted pairs in `data[from, to)`: its index, or -(insertion index) - 1. */
function pairIndex(data: Float64Array, from: number, to: number, a: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = lo + (((hi - lo) >> 2) << 1);
    const k = data[mid]!;
    if (k === a) return mid;
    if (k < a) lo = mid + 2;
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
