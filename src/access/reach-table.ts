// Read-optimised mirrors of the graph for the check path, in shared arenas: a node's ancestors with their reach
// (sorted, for binary search), and a node's out-edges. A check finds a block through one pair of offsets and reads
// it contiguously, instead of a map object and its separate hash table or an array of edge objects.

import { BlockArena } from './block-arena.js';
import type { BoundsMirror } from './id-directory.js';

/**
 * Per node t: its m ancestors `a` with reach(a, t), in a block of 2m numbers: the first m hold the ancestors,
 * sorted, as 32-bit integers through `keys` (a second view of the same memory), so they fill only the front half
 * of that room; the last m hold the reaches in the same order. A check binary-searches the packed keys, a quarter
 * of the bytes of interleaved (ancestor, reach) pairs, and reads a reach only on a hit.
 */
export class ReachTable extends BlockArena {
  /** `data` as 32-bit integers: block [from, to) has its keys at [2 from, 2 from + (to - from) / 2). */
  keys = new Int32Array(this.data.buffer);

  constructor(mirror?: BoundsMirror) {
    super(0, mirror);
  }

  protected override replaceData(fresh: Float64Array<ArrayBuffer>): void {
    super.replaceData(fresh);
    this.keys = new Int32Array(fresh.buffer);
  }

  /** reach(a, t) when `a` is an ancestor of `t`, else -Infinity. */
  get(t: number, a: number): number {
    if (2 * t >= this.bounds.length) return -Infinity;
    return reachIn(this.keys, this.data, this.bounds[2 * t]!, this.bounds[2 * t + 1]!, a);
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
    const i = keyIndex(this.keys, 2 * from, 2 * from + m, a);
    if (i >= 0) {
      this.data[from + m + i - 2 * from] = reach;
      return;
    }
    // The block may move while growing: keep the insertion point relative to its start.
    const rel = -i - 1 - 2 * from;
    this.grow(t, 2);
    const at = this.bounds[2 * t]!;
    const data = this.data;
    // Reaches move right (after the insertion point two places, before it one), clear of the keys' half; then the
    // keys after the insertion point move one place.
    data.copyWithin(at + m + rel + 2, at + m + rel, at + 2 * m);
    data.copyWithin(at + m + 1, at + m, at + m + rel);
    this.keys.copyWithin(2 * at + rel + 1, 2 * at + rel, 2 * at + m);
    this.keys[2 * at + rel] = a;
    data[at + m + 1 + rel] = reach;
    this.setEnd(t, at + 2 * m + 2);
  }

  delete(t: number, a: number): void {
    const from = this.from(t);
    const m = (this.to(t) - from) >> 1;
    const i = keyIndex(this.keys, 2 * from, 2 * from + m, a);
    if (i < 0) return;
    const rel = i - 2 * from;
    const data = this.data;
    // Keys after the removed one move left one place; reaches before it one place, those after it two.
    this.keys.copyWithin(i, i + 1, 2 * from + m);
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
      const keys = Int32Array.from(m.keys()).sort();
      this.keys.set(keys, 2 * at);
      for (let j = 0; j < keys.length; j++) this.data[at + keys.length + j] = m.get(keys[j]!)!;
      this.setEnd(t, at + 2 * keys.length);
    }
  }
}

/** The reach stored for ancestor `a` in the block [from, to) of a ReachTable's `keys` and `data`, else -Infinity. */
export function reachIn(keys: Int32Array, data: Float64Array, from: number, to: number, a: number): number {
  const m = (to - from) >> 1;
  const i = keyIndex(keys, 2 * from, 2 * from + m, a);
  return i < 0 ? -Infinity : data[from + m + i - 2 * from]!;
}

/** Binary search for `a` among the sorted keys `keys[from, to)`: its index, or -(insertion index) - 1. */
function keyIndex(keys: Int32Array, from: number, to: number, a: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const k = keys[mid]!;
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
