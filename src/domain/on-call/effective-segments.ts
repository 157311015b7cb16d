// Layering: many sources say who is on call (rotation layers, overrides); at every instant the source of
// highest priority that has someone wins. A sweep over the boundaries with a max-heap of the spans under way
// keeps it O(n log n) in the spans, whatever their overlap.

/** One source's claim: `userId` is on call over [start, end) (ms), with that source's priority. */
export interface Span {
  start: number;
  end: number;
  priority: number;
  userId: string;
}

/** Who is effectively on call over [start, end) (ms). */
export interface Segment {
  userId: string;
  start: number;
  end: number;
}

/** A binary max-heap of spans by priority. */
class SpanHeap {
  private readonly items: Span[] = [];
  get top(): Span | undefined {
    return this.items[0];
  }
  push(s: Span) {
    const a = this.items;
    a.push(s);
    for (let i = a.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      if (a[p]!.priority >= a[i]!.priority) break;
      [a[p], a[i]] = [a[i]!, a[p]!];
      i = p;
    }
  }
  pop() {
    const a = this.items;
    const last = a.pop()!;
    if (a.length === 0) return;
    a[0] = last;
    for (let i = 0; ;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < a.length && a[l]!.priority > a[m]!.priority) m = l;
      if (r < a.length && a[r]!.priority > a[m]!.priority) m = r;
      if (m === i) break;
      [a[m], a[i]] = [a[i]!, a[m]!];
      i = m;
    }
  }
}

/**
 * The effective segments within [from, until): sorted, non-overlapping, gaps where nobody is on call, and
 * contiguous segments of the same user merged into one.
 */
export function effectiveSegments(spans: readonly Span[], from: number, until: number): Segment[] {
  const live = spans
    .map((s) => ({ ...s, start: Math.max(s.start, from), end: Math.min(s.end, until) }))
    .filter((s) => s.end > s.start)
    .sort((a, b) => a.start - b.start);
  const points = [...new Set(live.flatMap((s) => [s.start, s.end]))].sort((a, b) => a - b);
  const heap = new SpanHeap();
  const out: Segment[] = [];
  let next = 0;
  for (let p = 0; p + 1 < points.length; p++) {
    const t = points[p]!;
    while (next < live.length && live[next]!.start <= t) heap.push(live[next++]!);
    // Spans that ended are dropped lazily, when they surface: one that is not on top does not matter.
    while (heap.top && heap.top.end <= t) heap.pop();
    const top = heap.top;
    if (!top) continue;
    const end = points[p + 1]!;
    const prev = out[out.length - 1];
    if (prev && prev.userId === top.userId && prev.end === t) prev.end = end;
    else out.push({ userId: top.userId, start: t, end });
  }
  return out;
}
