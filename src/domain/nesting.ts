// Nesting rule: the group graph must stay acyclic, so no group ever reaches itself through its assets.
// Time is ignored on purpose: an expired edge still exists as a row and could be extended, and a graph
// that is acyclic over all edges is acyclic at every moment.

export interface GroupEdge {
  parentGroupId: string;
  /** Null for resource edges, which cannot close a cycle. */
  childGroupId: string | null;
}

/** True when adding `parent -> child` would let some group reach itself: a self-edge, or `parent` already reachable from `child`. */
export function wouldCreateCycle(
  edges: Iterable<GroupEdge>,
  parentGroupId: string,
  childGroupId: string,
): boolean {
  if (parentGroupId === childGroupId) return true;
  const children = new Map<string, string[]>();
  for (const e of edges) {
    if (e.childGroupId === null) continue;
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
