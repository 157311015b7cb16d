// A string -> non-negative integer map for ids looked up on every check or change. Open addressing with linear
// probing over [key, value] pairs in one array, so a hit reads one slot holding both the key and its value: one
// memory access fewer than a Map, whose buckets and entries live apart.

// Slot markers are numbers, so they can never equal a key.
const EMPTY = 0;
/** A deleted key: probes go on past it, inserts may reuse it. */
const GONE = 1;

export class StringIds {
  private slots: (string | number)[] = new Array<string | number>(2 * 16).fill(EMPTY);
  private mask = 15;
  private live = 0;
  /** Live keys plus tombstones: what decides when to grow. */
  private used = 0;

  get size(): number {
    return this.live;
  }

  get(key: string): number | undefined {
    const slots = this.slots;
    for (let i = hash(key) & this.mask; ; i = (i + 1) & this.mask) {
      const k = slots[2 * i];
      if (k === key) return slots[2 * i + 1] as number;
      if (k === EMPTY) return undefined;
    }
  }

  set(key: string, value: number): void {
    // At most half full, counting tombstones, so probes stay short and a miss soon meets an empty slot.
    if (2 * (this.used + 1) > this.mask + 1) this.resize(2 * (this.live + 1));
    const slots = this.slots;
    let reuse = -1;
    for (let i = hash(key) & this.mask; ; i = (i + 1) & this.mask) {
      const k = slots[2 * i];
      if (k === key) {
        slots[2 * i + 1] = value;
        return;
      }
      if (k === GONE && reuse < 0) reuse = i;
      if (k !== EMPTY) continue;
      if (reuse < 0) {
        reuse = i;
        this.used++;
      }
      slots[2 * reuse] = key;
      slots[2 * reuse + 1] = value;
      this.live++;
      return;
    }
  }

  delete(key: string): boolean {
    const slots = this.slots;
    for (let i = hash(key) & this.mask; ; i = (i + 1) & this.mask) {
      const k = slots[2 * i];
      if (k === EMPTY) return false;
      if (k !== key) continue;
      slots[2 * i] = GONE;
      slots[2 * i + 1] = EMPTY;
      this.live--;
      return true;
    }
  }

  /** Makes room for `keys` live keys without growing again: the bulk-load path. */
  reserve(keys: number): void {
    if (2 * (this.used - this.live + keys) > this.mask + 1) this.resize(Math.max(keys, 2 * this.live));
  }

  /** Rehashes the live keys into a table with room for `keys` of them at most half full; tombstones go. */
  private resize(keys: number): void {
    let capacity = 16;
    while (capacity < 2 * keys) capacity *= 2;
    const old = this.slots;
    this.slots = new Array<string | number>(2 * capacity).fill(EMPTY);
    this.mask = capacity - 1;
    this.live = 0;
    this.used = 0;
    for (let i = 0; i < old.length; i += 2) {
      const k = old[i];
      if (typeof k === 'string') this.set(k, old[i + 1] as number);
    }
  }
}

/** FNV-1a over the UTF-16 code units. */
export function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
