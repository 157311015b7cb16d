// The nesting rule, defined once: no group may reach itself through its assets. An edge counts (toward access,
// and so toward loops) while it is live: not removed, and not past its expiry. Nothing ever brings an edge
// back once it has ended, so an edge that has expired can no longer close a loop, and a new edge may run the
// other way. The store applies this rule under its nesting lock (src/store/nesting.ts, checked against this
// function on generated cases), and the access index accepts whatever the store accepted.

export interface GroupEdge {
  parentGroupId: string;
  /** Null for resource edges, which cannot close a cycle. */
  childGroupId: string | null;
  /** Epoch ms at which the edge stops counting; null when it never does. */
  endsAt?: number | null;
}

/** Whether the edge counts at `at`: a live edge, not past its end. */
export const edgeCountsAt = (edge: Pick<GroupEdge, 'endsAt'>, at: number) =>
  edge.endsAt === undefined || edge.endsAt === null || at < edge.endsAt;

/**
 * True when adding `parent -> child` at `at` would let some group reach itself: a self-edge, or `parent` already
 * reachable from `child` through edges that count at `at`. Pass only edges that have not been removed.
 */
export function wouldCreateCycle(
  edges: Iterable<GroupEdge>,
  parentGroupId: string,
  childGroupId: string,
  at = -Infinity,
): boolean {
  if (parentGroupId === childGroupId) return true;
  const children = new Map<string, string[]>();
  for (const e of edges) {
    if (e.childGroupId === null || !edgeCountsAt(e, at)) continue;
    const list = children.get(e.parentGroupId);
    if (list) list.push(e.childGroupId);
    else children.set(e.parentGroupId, [e.childGroupId]);
  }
  const seen = new Set<string>([childGroupId]);
  const stack = [childGroupId];
  for (let g = stack.pop(); g !== undefined; g = stack.pop()) {
    for (const c of children.get(g) ?? []) {
      if (c === parentGroupId) return true;
      if (!seen.has(c)) {
        seen.add(c);
        stack.push(c);
      }
    }
  }
  return false;
}

/** A shortest chain of edges from `from` to `to`: the group ids, both ends included; null when none. */
export function shortestPath(
  edges: Iterable<{ parentGroupId: string; childGroupId: string | null }>,
  from: string,
  to: string,
): string[] | null {
  const children = new Map<string, string[]>();
  for (const e of edges) {
    if (e.childGroupId === null) continue;
    const list = children.get(e.parentGroupId);
    if (list) list.push(e.childGroupId);
    else children.set(e.parentGroupId, [e.childGroupId]);
  }
  const previous = new Map<string, string | null>([[from, null]]);
  const queue = [from];
  for (let i = 0; i < queue.length; i++) {
    const g = queue[i]!;
    if (g === to) {
      const path = [];
      for (let at: string | null = g; at !== null; at = previous.get(at) ?? null) path.push(at);
      return path.reverse();
    }
    for (const c of children.get(g) ?? [])
      if (!previous.has(c)) {
        previous.set(c, g);
        queue.push(c);
      }
  }
  return null;
}

export interface ReachedItem {
  groupId: string | null;
  resourceId: string | null;
  accessLevel: string | null;
  /** The groups from `from` down to the one holding this item as an asset, both included. */
  via: string[];
}

/**
 * Everything members of `from` reach through these edges (groups, and resources at a level), each once, by a
 * shortest chain; nearest first.
 */
export function reachedItems(
  edges: {
    parentGroupId: string;
    childGroupId: string | null;
    resourceId?: string | null;
    accessLevel?: string | null;
  }[],
  from: string,
): ReachedItem[] {
  const out = new Map<string, string[]>([]);
  const path = new Map<string, string[]>([[from, [from]]]);
  const queue = [from];
  for (let i = 0; i < queue.length; i++) {
    const g = queue[i]!;
    const via = path.get(g)!;
    for (const e of edges) {
      if (e.parentGroupId !== g) continue;
      const key = e.childGroupId ? `g:${e.childGroupId}` : `r:${e.resourceId}:${e.accessLevel}`;
      if (!out.has(key) && e.childGroupId !== from) out.set(key, via);
      if (e.childGroupId && !path.has(e.childGroupId)) {
        path.set(e.childGroupId, [...via, e.childGroupId]);
        queue.push(e.childGroupId);
      }
    }
  }
  return [...out.entries()].map(([key, via]) => {
    const [kind, id, level] = key.split(':') as [string, string, string | undefined];
    return kind === 'g'
      ? { groupId: id, resourceId: null, accessLevel: null, via }
      : { groupId: null, resourceId: id, accessLevel: level ?? null, via };
  });
}
