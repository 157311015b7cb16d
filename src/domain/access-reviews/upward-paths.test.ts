import { describe, expect, it } from 'vitest';
import { parentsByChild, upwardPaths, type LiveGroupEdge } from './upward-paths.js';

const edge = (parentGroupId: string, childGroupId: string, endsAt: number | null = null): LiveGroupEdge => ({
  parentGroupId,
  childGroupId,
  endsAt,
});

describe('paths from the groups above a group', () => {
  it('lists the group itself and every group above it, each by a shortest path', () => {
    const up = upwardPaths(
      parentsByChild([edge('a', 'b'), edge('b', 'c'), edge('a', 'c'), edge('x', 'y')]),
      'c',
    );
    expect(Object.fromEntries(up)).toEqual({
      c: { groupIds: ['c'], endsAt: null },
      b: { groupIds: ['b', 'c'], endsAt: null },
      a: { groupIds: ['a', 'c'], endsAt: null },
    });
  });

  it('prefers the path that lasts longest, then the shortest', () => {
    const up = upwardPaths(parentsByChild([edge('a', 'c', 100), edge('a', 'b'), edge('b', 'c', 500)]), 'c');
    expect(up.get('a')).toEqual({ groupIds: ['a', 'b', 'c'], endsAt: 500 });
    const never = upwardPaths(parentsByChild([edge('a', 'c', 100), edge('a', 'b'), edge('b', 'c')]), 'c');
    expect(never.get('a')).toEqual({ groupIds: ['a', 'b', 'c'], endsAt: null });
  });

  it('ends at the earliest edge end along the path', () => {
    const up = upwardPaths(parentsByChild([edge('r', 'a', 300), edge('a', 'b', 900), edge('b', 'c')]), 'c');
    expect(up.get('r')).toEqual({ groupIds: ['r', 'a', 'b', 'c'], endsAt: 300 });
  });
});
