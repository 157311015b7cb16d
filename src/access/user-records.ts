// Each user's grants as packed records in one block of a shared arena, so a check reads one contiguous block
// found through one pair of offsets, instead of chasing an array object per user.

import { BlockArena } from './block-arena.js';
import type { BoundsMirror } from './id-directory.js';

/**
 * A packed grant record is REC numbers: grant, node, startsAt, endsAt (+Infinity for "no end"). `grant` packs the
 * grant's slot and source code (up to 8 sources) as `slot * 8 + source`. Grant and node are small integers stored as doubles:
 * readers take them back with `| 0`, so maps and arrays see integer keys.
 */
export const REC = 4;
export const R_GRANT = 0;
export const R_NODE = 1;
export const R_START = 2;
export const R_END = 3;

export const packGrant = (slot: number, source: number) => slot * 8 + source;
export const slotOfGrant = (grant: number) => grant >>> 3;
export const sourceOfGrant = (grant: number) => grant & 7;

/** The longest id whose characters a block's head holds; longer or non-Latin-1 ids are marked as not held. */
const HEAD_MAX_CHARS = 60;
/** The length field of a head that does not hold its id. */
const NOT_HELD = -1;

/**
 * Records of user u live in `data[first(u), bounds[2u + 1])`, in no particular order; the grant id of the record
 * at `at` is `side[at / REC]`, which a check reads without waiting for the record itself.
 *
 * Each block starts with a head holding the user's id, so that a check can confirm it found the right user from
 * the memory it reads anyway for the records, instead of reading the stored id string from elsewhere in the heap.
 * A head is a whole number of records long; read as 32-bit integers, it ends with the id's length, preceded by
 * the id's characters packed four to an integer (Latin-1, low byte first). `holdsId` reads it backwards from the
 * first record, so it needs nothing but that position. The head is written with the user's first record and
 * stays (and moves with the block) for the life of the arena.
 */
export class UserRecords extends BlockArena {
  /** `data` as 32-bit integers, for the heads. */
  words = new Int32Array(this.data.buffer);
  /** Per user: the length of the block's head in numbers, 0 before the first record. */
  private head = new Int32Array(0);

  constructor(
    /** The id of user u, for the head of its block. */
    private readonly idOf: (u: number) => string,
    mirror?: BoundsMirror,
  ) {
    super(REC, mirror);
  }

  protected override replaceData(fresh: Float64Array<ArrayBuffer>): void {
    super.replaceData(fresh);
    this.words = new Int32Array(fresh.buffer);
  }

  protected override contentFrom(u: number, from: number): number {
    return from + (u < this.head.length ? this.head[u]! : 0);
  }

  /** Where user u's first record is. */
  first(u: number): number {
    return this.contentFrom(u, 2 * u < this.bounds.length ? this.bounds[2 * u]! : 0);
  }

  /** Exact room for the given per-user record counts at once: the bulk-load path. Must be empty. */
  layoutCounts(counts: Int32Array): void {
    this.layout(counts.map((n, u) => (n > 0 ? n * REC + headRoom(this.idOf(u)) : 0)));
  }

  /** Appends a record and returns its index in the user's block. */
  append(u: number, id: string, grant: number, node: number, startsAt: number, endsAt: number): number {
    if (u >= this.head.length || this.head[u] === 0) this.writeHead(u);
    const at = this.grow(u, REC);
    this.side[at / REC] = id;
    const d = this.data;
    d[at + R_GRANT] = grant;
    d[at + R_NODE] = node;
    d[at + R_START] = startsAt;
    d[at + R_END] = endsAt;
    this.setEnd(u, at + REC);
    return (at - this.first(u)) / REC;
  }

  /** Rewrites the source and window of record `index`; its slot and node stay. */
  update(u: number, index: number, grant: number, startsAt: number, endsAt: number): void {
    const at = this.first(u) + index * REC;
    this.data[at + R_GRANT] = grant;
    this.data[at + R_START] = startsAt;
    this.data[at + R_END] = endsAt;
  }

  /** Removes record `index` by moving the user's last record into it; returns the moved record's slot, if any. */
  remove(u: number, index: number): number | undefined {
    const last = this.bounds[2 * u + 1]! - REC;
    this.setEnd(u, last);
    const at = this.first(u) + index * REC;
    const lastId = this.side[last / REC];
    this.side[last / REC] = undefined;
    if (at === last) return undefined;
    this.data.copyWithin(at, last, last + REC);
    this.side[at / REC] = lastId;
    return slotOfGrant(this.data[at + R_GRANT]! | 0);
  }

  private writeHead(u: number): void {
    if (u >= this.head.length) {
      const grown = new Int32Array(Math.max(u + 1, 2 * this.head.length, 256));
      grown.set(this.head);
      this.head = grown;
    }
    const id = this.idOf(u);
    const room = headRoom(id);
    const at = this.grow(u, room);
    const end = 2 * (at + room) - 1;
    const words = this.words;
    words.fill(0, 2 * at, end);
    if (heldChars(id)) {
      const start = end - ((id.length + 3) >> 2);
      for (let j = 0; j < id.length; j++) words[start + (j >> 2)]! |= id.charCodeAt(j) << (8 * (j & 3));
      words[end] = id.length;
    } else words[end] = NOT_HELD;
    this.head[u] = room;
    this.setEnd(u, at + room);
  }
}

/** Whether a head can hold the id's characters. */
function heldChars(id: string): boolean {
  if (id.length > HEAD_MAX_CHARS) return false;
  for (let j = 0; j < id.length; j++) if (id.charCodeAt(j) > 0xff) return false;
  return true;
}

/** The numbers a head for `id` takes: its packed characters and its length, rounded up to whole records. */
function headRoom(id: string): number {
  const ints = (heldChars(id) ? (id.length + 3) >> 2 : 0) + 1;
  return REC * Math.ceil(ints / (2 * REC));
}

/**
 * Whether the block whose first record is at `first` (in a UserRecords' `words`) belongs to `id`. The block must
 * have a head, which every block with a record has. False for an id the head does not hold.
 */
export function holdsId(words: Int32Array, first: number, id: string): boolean {
  const n = id.length;
  const end = 2 * first - 1;
  if (words[end] !== n) return false;
  let k = end - ((n + 3) >> 2);
  let wide = 0;
  let j = 0;
  for (; j + 4 <= n; j += 4, k++) {
    const c0 = id.charCodeAt(j);
    const c1 = id.charCodeAt(j + 1);
    const c2 = id.charCodeAt(j + 2);
    const c3 = id.charCodeAt(j + 3);
    wide |= c0 | c1 | c2 | c3;
    if (words[k] !== (c0 | (c1 << 8) | (c2 << 16) | (c3 << 24))) return false;
  }
  if (j < n) {
    let w = 0;
    for (let shift = 0; j < n; j++, shift += 8) {
      const c = id.charCodeAt(j);
      wide |= c;
      w |= c << shift;
    }
    if (words[k] !== w) return false;
  }
  return wide <= 0xff;
}
