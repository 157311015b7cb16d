// Each user's grants as packed records in one block of a shared arena, so a check reads one contiguous block
// found through one pair of offsets, instead of chasing an array object per user.

import { BlockArena } from './block-arena.js';
import type { BoundsMirror } from './id-directory.js';

/**
 * A packed grant record is REC numbers: grant, node, startsAt, endsAt (+Infinity for "no end"). `grant` packs the
 * grant's slot and source code as `slot * 4 + source`. Grant and node are small integers stored as doubles:
 * readers take them back with `| 0`, so maps and arrays see integer keys.
 */
export const REC = 4;
export const R_GRANT = 0;
export const R_NODE = 1;
export const R_START = 2;
export const R_END = 3;

export const packGrant = (slot: number, source: number) => slot * 4 + source;
export const slotOfGrant = (grant: number) => grant >>> 2;
export const sourceOfGrant = (grant: number) => grant & 3;

/**
 * Records of user u live in `data[bounds[2u], bounds[2u + 1])`, in no particular order; the grant id of the
 * record at `at` is `side[at / REC]`, which a check reads without waiting for the record itself.
 */
export class UserRecords extends BlockArena {
  constructor(mirror?: BoundsMirror) {
    super(REC, mirror);
  }

  /** Exact room for the given per-user record counts at once: the bulk-load path. Must be empty. */
  layoutCounts(counts: Int32Array): void {
    this.layout(counts.map((n) => n * REC));
  }

  count(u: number): number {
    return this.size(u) / REC;
  }

  /** Appends a record and returns its index in the user's block. */
  append(u: number, id: string, grant: number, node: number, startsAt: number, endsAt: number): number {
    const at = this.grow(u, REC);
    this.side[at / REC] = id;
    const d = this.data;
    d[at + R_GRANT] = grant;
    d[at + R_NODE] = node;
    d[at + R_START] = startsAt;
    d[at + R_END] = endsAt;
    this.setEnd(u, at + REC);
    return (at - this.bounds[2 * u]!) / REC;
  }

  /** Rewrites the source and window of record `index`; its slot and node stay. */
  update(u: number, index: number, grant: number, startsAt: number, endsAt: number): void {
    const at = this.bounds[2 * u]! + index * REC;
    this.data[at + R_GRANT] = grant;
    this.data[at + R_START] = startsAt;
    this.data[at + R_END] = endsAt;
  }

  /** Removes record `index` by moving the user's last record into it; returns the moved record's slot, if any. */
  remove(u: number, index: number): number | undefined {
    const last = this.bounds[2 * u + 1]! - REC;
    this.setEnd(u, last);
    const at = this.bounds[2 * u]! + index * REC;
    const lastId = this.side[last / REC];
    this.side[last / REC] = undefined;
    if (at === last) return undefined;
    this.data.copyWithin(at, last, last + REC);
    this.side[at / REC] = lastId;
    return slotOfGrant(this.data[at + R_GRANT]! | 0);
  }
}
