// Grants stored column-wise by slot, so a million grants cost tens of megabytes and no objects. Slots of removed
// grants are reused. Each user's grants are also copied into packed records (see UserRecords), so a check reads
// one contiguous block instead of a few scattered columns per grant.

import { endToNumber, type GrantColumns, type GrantSource } from '../domain/access-facts.js';
import { StringIds } from './string-ids.js';
import type { BoundsMirror } from './id-directory.js';
import { packGrant, UserRecords } from './user-records.js';

const SOURCE_CODE: Record<GrantSource, number> = {
  direct: 0,
  request: 1,
  break_glass: 2,
  on_call: 3,
  idp: 4,
};

export class GrantTable {
  private readonly slotById = new StringIds();
  private readonly free: number[] = [];
  private next = 0;
  /** The grant id in each slot; undefined for a free slot. */
  readonly ids: (string | undefined)[] = [];
  user = new Int32Array(0);
  node = new Int32Array(0);
  startsAt = new Float64Array(0);
  /** +Infinity for "no end"; -Infinity in a free slot, so a stale slot is never active. */
  endsAt = new Float64Array(0);
  source = new Uint8Array(0);
  // Each slot's record index in its user's list and position in its node's list: removal moves the last entry
  // into the hole in O(1).
  private posInUser = new Int32Array(0);
  private posInNode = new Int32Array(0);
  /** Packed records per user, in no particular order. */
  readonly byUser: UserRecords;
  /** Slots per node, in no particular order. */
  readonly byNode: number[][] = [];

  /** `idOf` gives a user's id, kept at the head of their records; `directory` is told where the records are. */
  constructor(idOf: (u: number) => string, directory?: BoundsMirror) {
    this.byUser = new UserRecords(idOf, directory);
  }

  get size(): number {
    return this.slotById.size;
  }

  slotOf(id: string): number | undefined {
    return this.slotById.get(id);
  }

  /** The packed grant of a slot, as in a user's records. */
  packed(slot: number): number {
    return packGrant(slot, this.source[slot]!);
  }

  isActiveAt(slot: number, now: number): boolean {
    return this.startsAt[slot]! <= now && now < this.endsAt[slot]!;
  }

  /** Makes room for `extra` more grants at once, so a bulk load grows the columns once. */
  private reserve(extra: number): void {
    const needed = this.next + extra;
    if (needed <= this.user.length) return;
    const cap = Math.max(needed, Math.ceil(this.user.length * 1.5), 64);
    this.user = grow(this.user, new Int32Array(cap));
    this.node = grow(this.node, new Int32Array(cap));
    this.startsAt = grow(this.startsAt, new Float64Array(cap));
    this.endsAt = grow(this.endsAt, new Float64Array(cap));
    this.source = grow(this.source, new Uint8Array(cap));
    this.posInUser = grow(this.posInUser, new Int32Array(cap));
    this.posInNode = grow(this.posInNode, new Int32Array(cap));
  }

  /**
   * Bulk load into an empty table, without a grant-by-grant insert: columns are written in place, every user's
   * records get one exact block and every node's list its final size. `userOf` and `nodeOf` are the interned ids
   * of each grant; a repeated grant id keeps its last entry.
   */
  load(grants: GrantColumns, userOf: Int32Array, nodeOf: Int32Array, users: number, nodes: number): void {
    const { ids, sources, startsAt, endsAt } = grants;
    const count = ids.length;
    this.slotById.reserve(count);
    this.reserve(Math.ceil(count * 1.25));
    for (let i = 0; i < count; i++) {
      const id = ids[i]!;
      let slot = this.slotById.get(id);
      if (slot === undefined) {
        slot = this.next++;
        this.slotById.set(id, slot);
        this.ids[slot] = id;
      }
      this.user[slot] = userOf[i]!;
      this.node[slot] = nodeOf[i]!;
      this.source[slot] = SOURCE_CODE[sources[i]!];
      this.startsAt[slot] = startsAt[i]!;
      this.endsAt[slot] = endToNumber(endsAt[i]!);
    }
    const perUser = new Int32Array(users);
    const perNode = new Int32Array(nodes);
    for (let slot = 0; slot < this.next; slot++) {
      perUser[this.user[slot]!]!++;
      perNode[this.node[slot]!]!++;
    }
    this.byUser.layoutCounts(perUser);
    for (let n = 0; n < nodes; n++) if (perNode[n]! > 0) this.byNode[n] = new Array<number>(perNode[n]!);
    perNode.fill(0);
    for (let slot = 0; slot < this.next; slot++) {
      const node = this.node[slot]!;
      const grant = packGrant(slot, this.source[slot]!);
      const u = this.user[slot]!;
      this.posInUser[slot] = this.byUser.append(
        u,
        this.ids[slot]!,
        grant,
        node,
        this.startsAt[slot]!,
        this.endsAt[slot]!,
      );
      this.byNode[node]![perNode[node]!] = slot;
      this.posInNode[slot] = perNode[node]!++;
    }
  }

  add(id: string, user: number, node: number, source: GrantSource, startsAt: number, endsAt: number): number {
    let slot = this.free.pop();
    if (slot === undefined) {
      this.reserve(1);
      slot = this.next++;
    }
    this.ids[slot] = id;
    this.slotById.set(id, slot);
    this.user[slot] = user;
    this.node[slot] = node;
    this.source[slot] = SOURCE_CODE[source];
    this.startsAt[slot] = startsAt;
    this.endsAt[slot] = endsAt;
    this.posInUser[slot] = this.byUser.append(
      user,
      id,
      packGrant(slot, SOURCE_CODE[source]),
      node,
      startsAt,
      endsAt,
    );
    let slots = this.byNode[node];
    if (!slots) this.byNode[node] = slots = [];
    this.posInNode[slot] = slots.length;
    slots.push(slot);
    return slot;
  }

  /** A new window or source for the same user and node. */
  update(slot: number, source: GrantSource, startsAt: number, endsAt: number): void {
    this.source[slot] = SOURCE_CODE[source];
    this.startsAt[slot] = startsAt;
    this.endsAt[slot] = endsAt;
    this.byUser.update(
      this.user[slot]!,
      this.posInUser[slot]!,
      packGrant(slot, SOURCE_CODE[source]),
      startsAt,
      endsAt,
    );
  }

  remove(slot: number): void {
    const id = this.ids[slot];
    if (id === undefined) return;
    const moved = this.byUser.remove(this.user[slot]!, this.posInUser[slot]!);
    if (moved !== undefined) this.posInUser[moved] = this.posInUser[slot]!;
    const slots = this.byNode[this.node[slot]!]!;
    const last = slots.pop()!;
    const pos = this.posInNode[slot]!;
    if (pos < slots.length) {
      slots[pos] = last;
      this.posInNode[last] = pos;
    }
    this.slotById.delete(id);
    this.ids[slot] = undefined;
    this.startsAt[slot] = Infinity;
    this.endsAt[slot] = -Infinity;
    this.free.push(slot);
  }
}

function grow<T extends Int32Array | Float64Array | Uint8Array>(old: T, fresh: T): T {
  fresh.set(old);
  return fresh;
}
