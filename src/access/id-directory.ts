// Id -> dense number, with the bounds of that number's block in some arena kept right beside it: a user's grant
// records, a group's ancestors. A check is memory-bound: its cost is the chain of cache misses from the ids to
// the blocks. Keeping a block's bounds in the same hash slot as the id cuts one link from that chain
// (id -> slot -> block, instead of id -> slot -> bounds -> block).
//
// Open addressing with linear probing over rows of four: [id, number, block from, block to]. Ids are never removed
// (they are interned for the life of the index), so there are no tombstones.

import { hash } from './string-ids.js';

const STRIDE = 4;
const EMPTY = 0;

/** Receives every change of a block's bounds, so the directory can mirror them. */
export interface BoundsMirror {
  setBounds(key: number, from: number, to: number): void;
}

export class IdDirectory implements BoundsMirror {
  /** Rows of [id, number, from, to]; an empty row holds the number 0 as its id, which no string equals. */
  rows: (string | number)[] = new Array<string | number>(STRIDE * 16).fill(EMPTY);
  mask = 15;
  private count = 0;
  /** The row of each number, to mirror bounds by number; -1 for numbers with no id here. */
  private rowOf = new Int32Array(16).fill(-1);

  get size(): number {
    return this.count;
  }

  /** The row holding `id`, or -1. */
  find(id: string): number {
    const rows = this.rows;
    const mask = this.mask;
    for (let i = hash(id) & mask; ; i = (i + 1) & mask) {
      const k = rows[STRIDE * i];
      if (k === id) return i;
      if (k === EMPTY) return -1;
    }
  }

  numberAt(row: number): number {
    return this.rows[STRIDE * row + 1] as number;
  }

  /** Where the row's block starts in its arena. */
  blockFrom(row: number): number {
    return this.rows[STRIDE * row + 2] as number;
  }

  blockTo(row: number): number {
    return this.rows[STRIDE * row + 3] as number;
  }

  /** The number of `id`, or undefined. */
  get(id: string): number | undefined {
    const row = this.find(id);
    return row < 0 ? undefined : (this.rows[STRIDE * row + 1] as number);
  }

  /** Adds a new id as `n`, whose block has bounds `from`, `to`. The id must not be present. */
  add(id: string, n: number, from = 0, to = 0): void {
    if (2 * (this.count + 1) > this.mask + 1) this.resize(this.count + 1);
    if (n >= this.rowOf.length) {
      const grown = new Int32Array(Math.max(n + 1, 2 * this.rowOf.length)).fill(-1);
      grown.set(this.rowOf);
      this.rowOf = grown;
    }
    this.place(id, n, from, to);
    this.count++;
  }

  /** Mirrors new bounds of number `n`'s block; numbers without an id here are ignored. */
  setBounds(n: number, from: number, to: number): void {
    const row = n < this.rowOf.length ? this.rowOf[n]! : -1;
    if (row < 0) return;
    this.rows[STRIDE * row + 2] = from;
    this.rows[STRIDE * row + 3] = to;
  }

  private place(id: string, n: number, from: number, to: number): void {
    const rows = this.rows;
    let i = hash(id) & this.mask;
    while (rows[STRIDE * i] !== EMPTY) i = (i + 1) & this.mask;
    rows[STRIDE * i] = id;
    rows[STRIDE * i + 1] = n;
    rows[STRIDE * i + 2] = from;
    rows[STRIDE * i + 3] = to;
    this.rowOf[n] = i;
  }

  /** Rehashes into a table with room for `ids` ids at most half full, rows and all. */
  private resize(ids: number): void {
    let capacity = 16;
    while (capacity < 2 * ids) capacity *= 2;
    if (capacity <= this.mask + 1) return;
    const old = this.rows;
    this.rows = new Array<string | number>(STRIDE * capacity).fill(EMPTY);
    this.mask = capacity - 1;
    for (let at = 0; at < old.length; at += STRIDE) {
      const k = old[at];
      if (typeof k === 'string')
        this.place(k, old[at + 1] as number, old[at + 2] as number, old[at + 3] as number);
    }
  }
}
