// Id -> dense number, with the bounds of that number's block in some arena kept right beside it: a user's grant
// records, a group's ancestors. A check is memory-bound: its cost is the chain of cache misses from the ids to
// the blocks. Keeping a block's bounds in the same row as the id's tag cuts one link from that chain
// (id -> row -> block, instead of id -> row -> bounds -> block).
//
// Open addressing with linear probing over rows of four 32-bit integers: [tag, number, block from, block to], the
// tag being the id's hash. A probe reads only integers, so it never touches another id's string; the id itself is
// compared only where the tag matches. Packed rows, up to three quarters full, with the ids in an array beside them,
// take 6 MB for 200k ids, where rows of [id, number, from, to] values at most half full took 16 MB. Ids are never
// removed (they are interned for the life of the index), so there are no tombstones.

import { hash } from './string-ids.js';

const STRIDE = 4;
/** Rows in use are at most LOAD_NUM / LOAD_DEN of the table. */
const LOAD_NUM = 3;
const LOAD_DEN = 4;
/** The tag of an empty row: tags are odd. */
const EMPTY = 0;

/** Receives every change of a block's bounds, so the directory can mirror them. */
export interface BoundsMirror {
  setBounds(key: number, from: number, to: number): void;
}

export class IdDirectory implements BoundsMirror {
  /** Rows of [tag, number, from, to]: the tag is the id's hash with its low bit set, 0 in an empty row. */
  rows = new Int32Array(STRIDE * 16);
  /** The id of each row. */
  private keys: (string | undefined)[] = new Array<string | undefined>(16).fill(undefined);
  mask = 15;
  private count = 0;
  /** The row of each number, to mirror bounds by number; -1 for numbers with no id here. */
  private rowOf = new Int32Array(16).fill(-1);

  /** The row holding `id`, or -1. The string is compared only where the tag matches. */
  find(id: string): number {
    const h = hash(id);
    const tag = h | 1;
    for (let i = this.rowWithTag(tag, h & this.mask); i >= 0; i = this.rowWithTag(tag, (i + 1) & this.mask))
      if (this.keys[i] === id) return i;
    return -1;
  }

  /**
   * The first row whose tag is `id`'s, or -1 when no row has it (then `id` is certainly absent). The row may hold
   * another id with the same hash: for callers that can confirm the id from the row's block, and otherwise `find`.
   */
  findTag(id: string): number {
    const h = hash(id);
    return this.rowWithTag(h | 1, h & this.mask);
  }

  /** Probing from row `i`: the first row with `tag`, or -1 at an empty row. */
  private rowWithTag(tag: number, i: number): number {
    const rows = this.rows;
    const mask = this.mask;
    for (; ; i = (i + 1) & mask) {
      const k = rows[STRIDE * i];
      if (k === tag) return i;
      if (k === EMPTY) return -1;
    }
  }

  numberAt(row: number): number {
    return this.rows[STRIDE * row + 1]!;
  }

  /** Where the row's block starts in its arena. */
  blockFrom(row: number): number {
    return this.rows[STRIDE * row + 2]!;
  }

  blockTo(row: number): number {
    return this.rows[STRIDE * row + 3]!;
  }

  /** The number of `id`, or undefined. */
  get(id: string): number | undefined {
    const row = this.find(id);
    return row < 0 ? undefined : this.rows[STRIDE * row + 1];
  }

  /** Adds a new id as `n`, whose block has bounds `from`, `to`. The id must not be present. */
  add(id: string, n: number, from = 0, to = 0): void {
    if (LOAD_DEN * (this.count + 1) > LOAD_NUM * (this.mask + 1)) this.resize(this.count + 1);
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
    const h = hash(id);
    let i = h & this.mask;
    while (rows[STRIDE * i] !== EMPTY) i = (i + 1) & this.mask;
    rows[STRIDE * i] = h | 1;
    rows[STRIDE * i + 1] = n;
    rows[STRIDE * i + 2] = from;
    rows[STRIDE * i + 3] = to;
    this.keys[i] = id;
    this.rowOf[n] = i;
  }

  /** Rehashes into a table with room for `ids` ids within the load limit, rows and all. */
  private resize(ids: number): void {
    let capacity = 16;
    while (LOAD_NUM * capacity < LOAD_DEN * ids) capacity *= 2;
    if (capacity <= this.mask + 1) return;
    const old = this.rows;
    const oldKeys = this.keys;
    this.rows = new Int32Array(STRIDE * capacity);
    this.keys = new Array<string | undefined>(capacity).fill(undefined);
    this.mask = capacity - 1;
    for (let i = 0; i < oldKeys.length; i++) {
      const k = oldKeys[i];
      if (k !== undefined) this.place(k, old[STRIDE * i + 1]!, old[STRIDE * i + 2]!, old[STRIDE * i + 3]!);
    }
  }
}
