// The nesting paths a campaign shows. Members of group A reach an item T held by group P (the edge P -> T) when
// A is P or reaches P through live group edges. For each such A the campaign lists one path: the one whose
// access lasts longest (its earliest edge end is latest), the shortest of those. Times are epoch ms; null is no
// end.

export interface LiveGroupEdge {
  parentGroupId: string;
  childGroupId: string;
  endsAt: number | null;
}

export interface UpwardPath {
  /** From A down to P, both included. */
  groupIds: string[];
  /** The earliest end of the edges on it; null when none ends. */
  endsAt: number | null;
}

const later = (a: number, b: number) => a > b;

/** Parent edges by child, for `upwardPaths`. */
export function parentsByChild(edges: Iterable<LiveGroupEdge>): Map<string, LiveGroupEdge[]> {
  const byChild = new Map<string, LiveGroupEdge[]>();
  for (const e of edges) {
    const list = byChild.get(e.childGroupId);
    if (list) list.push(e);
    else byChild.set(e.childGroupId, [e]);
  }
  return byChild;
}

/**
 * Every group whose members reach `groupId` (itself included) with its path down to it. A widest-path search:
 * labels only ever get worse along a path (ends can only come earlier), so each group is settled once.
 */
export function upwardPaths(parents: Map<string, LiveGroupEdge[]>, groupId: string): Map<string, UpwardPath> {
  const label = new Map<string, { end: number; length: number; next: string | null }>([
    [groupId, { end: Infinity, length: 0, next: null }],
  ]);
  const settled = new Set<string>();
  for (;;) {
    let best: string | undefined;
    for (const [g, l] of label) {
      if (settled.has(g)) continue;
      const b = best === undefined ? undefined : label.get(best)!;
      if (!b || later(l.end, b.end) || (l.end === b.end && l.length < b.length)) best = g;
    }
    if (best === undefined) break;
    settled.add(best);
    const here = label.get(best)!;
    for (const e of parents.get(best) ?? []) {
      if (settled.has(e.parentGroupId)) continue;
      const end = Math.min(here.end, e.endsAt ?? Infinity);
      const old = label.get(e.parentGroupId);
      if (!old || later(end, old.end) || (end === old.end && here.length + 1 < old.length))
        label.set(e.parentGroupId, { end, length: here.length + 1, next: best });
    }
  }
  const out = new Map<string, UpwardPath>();
  for (const [g, l] of label) {
    const groupIds: string[] = [];
    for (let at: string | null = g; at !== null; at = label.get(at)!.next) groupIds.push(at);
    out.set(g, { groupIds, endsAt: l.end === Infinity ? null : l.end });
  }
  return out;
}
