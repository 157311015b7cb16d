import { describe, expect, it } from 'vitest';
import { reachedItems, shortestPath, wouldCreateCycle } from './nesting.js';

const edge = (parentGroupId: string, childGroupId: string | null) => ({ parentGroupId, childGroupId });
const chain = (n: number) => Array.from({ length: n }, (_, i) => edge(`g${i}`, `g${i + 1}`));

describe('wouldCreateCycle', () => {
  it('refuses a self-edge, even in an empty graph', () => {
    expect(wouldCreateCycle([], 'a', 'a')).toBe(true);
  });

  it('refuses an edge back up a chain, short or long', () => {
    expect(wouldCreateCycle(chain(1), 'g1', 'g0')).toBe(true);
    expect(wouldCreateCycle(chain(50), 'g50', 'g0')).toBe(true);
    expect(wouldCreateCycle(chain(50), 'g30', 'g10')).toBe(true);
  });

  it('allows edges down, across and parallel to existing ones', () => {
    expect(wouldCreateCycle(chain(50), 'g0', 'g50')).toBe(false);
    expect(wouldCreateCycle(chain(5), 'g0', 'g1')).toBe(false);
    expect(wouldCreateCycle([...chain(3), edge('x', 'g1')], 'g0', 'x')).toBe(false);
    expect(wouldCreateCycle([...chain(3), edge('x', 'g1')], 'g3', 'x')).toBe(true);
  });

  it('finds a cycle through a diamond and ignores resource edges', () => {
    const diamond = [
      edge('top', 'l'),
      edge('top', 'r'),
      edge('l', 'bottom'),
      edge('r', 'bottom'),
      edge('bottom', null),
    ];
    expect(wouldCreateCycle(diamond, 'bottom', 'top')).toBe(true);
    expect(wouldCreateCycle(diamond, 'l', 'r')).toBe(false);
  });
});

describe('wouldCreateCycle over time', () => {
  const timed = (p: string, c: string, endsAt: number | null) => ({
    parentGroupId: p,
    childGroupId: c,
    endsAt,
  });

  it('counts an edge until its end and not from its end on, so a reverse edge is allowed once it expired', () => {
    const down = [timed('g1', 'g2', 1000)];
    expect(wouldCreateCycle(down, 'g2', 'g1', 999)).toBe(true);
    expect(wouldCreateCycle(down, 'g2', 'g1', 1000)).toBe(false);
    expect(wouldCreateCycle([timed('g1', 'g2', null)], 'g2', 'g1', 10 ** 15)).toBe(true);
  });

  it('needs every edge of a path to count for the path to close a loop', () => {
    const path = [timed('a', 'b', null), timed('b', 'c', 500), timed('c', 'd', null)];
    expect(wouldCreateCycle(path, 'd', 'a', 499)).toBe(true);
    expect(wouldCreateCycle(path, 'd', 'a', 500)).toBe(false);
    expect(wouldCreateCycle(path, 'd', 'c', 500)).toBe(true);
  });
});

describe('the chain that closes a loop, for messages', () => {
  const e = (parentGroupId: string, childGroupId: string | null) => ({ parentGroupId, childGroupId });
  it('finds a shortest chain of edges, both ends included', () => {
    const edges = [e('a', 'b'), e('b', 'c'), e('c', 'd'), e('a', 'd'), e('d', null)];
    expect(shortestPath(edges, 'a', 'd')).toEqual(['a', 'd']);
    expect(shortestPath(edges, 'b', 'd')).toEqual(['b', 'c', 'd']);
    expect(shortestPath(edges, 'a', 'a')).toEqual(['a']);
  });
  it('answers null when there is none, also around loops', () => {
    expect(shortestPath([e('a', 'b'), e('b', 'a')], 'a', 'z')).toBeNull();
  });
});

describe('what a group reaches, for showing what it contains', () => {
  it('lists each group and resource level once, by a shortest chain, nearest first', () => {
    const edges = [
      { parentGroupId: 'a', childGroupId: 'b' },
      { parentGroupId: 'b', childGroupId: 'c' },
      { parentGroupId: 'a', childGroupId: 'c' },
      { parentGroupId: 'c', childGroupId: null, resourceId: 'db', accessLevel: 'read' },
      { parentGroupId: 'b', childGroupId: null, resourceId: 'db', accessLevel: 'admin' },
    ];
    expect(reachedItems(edges, 'a')).toEqual([
      { groupId: 'b', resourceId: null, accessLevel: null, via: ['a'] },
      { groupId: 'c', resourceId: null, accessLevel: null, via: ['a'] },
      { groupId: null, resourceId: 'db', accessLevel: 'admin', via: ['a', 'b'] },
      { groupId: null, resourceId: 'db', accessLevel: 'read', via: ['a', 'c'] },
    ]);
  });
});
