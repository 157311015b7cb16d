import { describe, expect, it } from 'vitest';
import { effectiveSegments, type Span } from './effective-segments.js';

const span = (userId: string, start: number, end: number, priority: number): Span => ({
  userId,
  start,
  end,
  priority,
});

describe('effective segments', () => {
  it('lets the span of highest priority win where spans overlap', () => {
    const segs = effectiveSegments([span('a', 0, 10, 0), span('b', 3, 5, 1)], 0, 10);
    expect(segs).toEqual([
      { userId: 'a', start: 0, end: 3 },
      { userId: 'b', start: 3, end: 5 },
      { userId: 'a', start: 5, end: 10 },
    ]);
  });

  it('leaves gaps where nobody is on call and clips to the window', () => {
    const segs = effectiveSegments([span('a', -5, 2, 0), span('b', 4, 20, 0)], 0, 10);
    expect(segs).toEqual([
      { userId: 'a', start: 0, end: 2 },
      { userId: 'b', start: 4, end: 10 },
    ]);
  });

  it('merges contiguous segments of the same user, not separated ones', () => {
    const segs = effectiveSegments([span('a', 0, 2, 0), span('a', 2, 4, 0), span('a', 5, 6, 0)], 0, 10);
    expect(segs).toEqual([
      { userId: 'a', start: 0, end: 4 },
      { userId: 'a', start: 5, end: 6 },
    ]);
  });

  it('falls back to a lower span that is still under way when a higher one ends, skipping ended ones', () => {
    const spans = [span('low', 0, 100, 0), span('mid', 10, 20, 1), span('top', 15, 30, 2)];
    expect(effectiveSegments(spans, 0, 100)).toEqual([
      { userId: 'low', start: 0, end: 10 },
      { userId: 'mid', start: 10, end: 15 },
      { userId: 'top', start: 15, end: 30 },
      { userId: 'low', start: 30, end: 100 },
    ]);
  });
});
