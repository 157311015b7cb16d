// Variable-size blocks of numbers, one per small-integer key, all in one shared Float64Array. Hot paths find a
// block through one pair of offsets and read it contiguously, instead of chasing an object per key. A block that
// outgrows its room moves to the end of the arena; the space it leaves is reclaimed when the arena is rebuilt.

import type { BoundsMirror } from './id-directory.js';

export class BlockArena {
  data = new Float64Array(0);
  /**
   * Optional strings beside the numbers, one per `sideStride` numbers, moved in step with them: the string of the
   * entry at number `i` is `side[i / sideStride]`, so it is found without going through the entry first.
   */
  side: (string | undefined)[] = [];
  /** Per key k: the block's first number at `2k` and the end of its used part at `2k + 1`, adjacent for one read. */
  bounds = new Int32Array(0);
  /** Per key: how many numbers the block has room for. */
  private cap = new Int32Array(0);
  private top = 0;

  constructor(
    private readonly sideStride = 0,
    /** Told of every change of a block's bounds, to keep a copy where a reader looks first. */
    private readonly mirror?: BoundsMirror,
  ) {}

  /** Every write of a block's bounds goes through here. */
  protected setBounds(k: number, from: number, to: number): void {
    this.bounds[2 * k] = from;
    this.bounds[2 * k + 1] = to;
    this.mirror?.setBounds(k, this.contentFrom(k, from), to);
  }

  /** Where the part of key k's block that the mirror is told of starts: all of it, unless a subclass says less. */
  protected contentFrom(_k: number, from: number): number {
    return from;
  }

  /** Every replacement of `data` goes through here, for subclasses that keep other views of it. */
  protected replaceData(fresh: Float64Array<ArrayBuffer>): void {
    this.data = fresh;
  }

  /** Moves the end of key k's block. */
  protected setEnd(k: number, to: number): void {
    this.setBounds(k, this.bounds[2 * k]!, to);
  }

  /** Lays out empty blocks with exactly the given room, at once: the bulk-load path. The arena must be empty. */
  layout(sizes: ArrayLike<number>): void {
    this.ensureKeys(sizes.length);
    let top = 0;
    for (let k = 0; k < sizes.length; k++) {
      this.setBounds(k, top, top);
      this.cap[k] = sizes[k]!;
      top += sizes[k]!;
    }
    this.top = top;
    this.replaceData(new Float64Array(Math.ceil(top * 1.25) + 256));
  }

  ensureKeys(keys: number): void {
    if (keys <= this.cap.length) return;
    const size = Math.max(keys, this.cap.length * 2, 256);
    this.bounds = widen(this.bounds, 2 * size);
    this.cap = widen(this.cap, size);
  }

  /** Makes room for `extra` more numbers at the end of key k's block and returns where they go. */
  grow(k: number, extra: number): number {
    this.ensureKeys(k + 1);
    const used = this.bounds[2 * k + 1]! - this.bounds[2 * k]!;
    if (used + extra > this.cap[k]!) this.move(k, Math.max(8, 2 * (used + extra)));
    return this.bounds[2 * k + 1]!;
  }

  /** Moves key k's block to the end of the arena with room for `cap` numbers, rebuilding the arena if full. */
  private move(k: number, cap: number): void {
    if (this.top + cap > this.data.length) this.rebuild(cap);
    const from = this.bounds[2 * k]!;
    const to = this.bounds[2 * k + 1]!;
    this.data.copyWithin(this.top, from, to);
    this.copySide(this.side, from, this.top, to - from);
    this.setBounds(k, this.top, this.top + (to - from));
    this.cap[k] = cap;
    this.top += cap;
  }

  /** Copies the live blocks into a new arena with half their size to spare, so moves cost O(1) amortized. */
  private rebuild(need: number): void {
    let live = need;
    for (let k = 0; k < this.cap.length; k++) live += this.cap[k]!;
    const fresh = new Float64Array(Math.max(1024, Math.ceil(live * 1.5)));
    const side: (string | undefined)[] = [];
    let top = 0;
    for (let k = 0; k < this.cap.length; k++) {
      const from = this.bounds[2 * k]!;
      const to = this.bounds[2 * k + 1]!;
      fresh.set(this.data.subarray(from, to), top);
      this.copySide(side, from, top, to - from);
      this.setBounds(k, top, top + (to - from));
      top += this.cap[k]!;
    }
    this.replaceData(fresh);
    this.side = side;
    this.top = top;
  }

  private copySide(into: (string | undefined)[], from: number, to: number, length: number): void {
    const stride = this.sideStride;
    if (stride === 0) return;
    for (let i = 0; i < length; i += stride) into[(to + i) / stride] = this.side[(from + i) / stride];
  }
}

function widen(old: Int32Array, size: number) {
  const fresh = new Int32Array(size);
  fresh.set(old);
  return fresh;
}
