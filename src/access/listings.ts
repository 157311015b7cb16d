// The two listings: what one user can reach, and who can reach one item. Both read the closure in the direction
// that makes them proportional to the answer: a user's granted nodes downwards, an item's ancestors upwards.

import { numberToEnd } from '../domain/access-facts.js';
import { R_END, R_NODE, R_START, REC } from './user-records.js';
import { collectPaths } from './paths.js';
import type { AccessItem, MemberItem, PathInfo } from './results.js';
import type { IndexState } from './state.js';

/** Everything user `u` (known, not suspended) reaches at `now`, each with its latest end and its paths. */
export function listUserAccess(s: IndexState, u: number, now: number): AccessItem[] {
  const { grants, graph } = s;
  const { data, bounds, side } = grants.byUser;
  if (2 * u >= bounds.length) return [];
  const from = grants.byUser.first(u);
  const to = bounds[2 * u + 1]!;
  const best = new Map<number, number>();
  for (let at = from; at < to; at += REC) {
    const grantEnd = data[at + R_END]!;
    if (data[at + R_START]! > now || now >= grantEnd) continue;
    const n = data[at + R_NODE]! | 0;
    maxInto(best, n, grantEnd);
    const below = graph.desc[n];
    if (below) for (const [d, r] of below) if (r > now) maxInto(best, d, r < grantEnd ? r : grantEnd);
  }
  const items: AccessItem[] = [];
  for (const [t, end] of best) {
    const via: PathInfo[] = [];
    collectPaths(s, data, side, from, to, t, now, via);
    items.push({ target: { ...s.nodes.targetOf[t]! }, expiresAt: numberToEnd(end), via });
  }
  return items;
}

interface Reacher {
  end: number;
  direct: boolean;
  /** The grants through which the user reaches the item, packed like a user's records, and their ids. */
  records: number[];
  ids: string[];
}

/** Every user who is not suspended and reaches node `t` at `now`, through a grant on it or on an ancestor. */
export function listMembers(s: IndexState, t: number, now: number): MemberItem[] {
  const { grants, graph, users } = s;
  const byUser = new Map<number, Reacher>();
  const collect = (n: number, reach: number) => {
    for (const slot of grants.byNode[n] ?? []) {
      if (!grants.isActiveAt(slot, now)) continue;
      const u = grants.user[slot]!;
      if (users.suspended[u] === 1) continue;
      const grantEnd = grants.endsAt[slot]!;
      const end = reach < grantEnd ? reach : grantEnd;
      const record = [grants.packed(slot), n, grants.startsAt[slot]!, grantEnd];
      const r = byUser.get(u);
      const id = grants.ids[slot]!;
      if (!r) byUser.set(u, { end, direct: n === t, records: record, ids: [id] });
      else {
        if (end > r.end) r.end = end;
        if (n === t) r.direct = true;
        r.records.push(...record);
        r.ids.push(id);
      }
    }
  };
  collect(t, Infinity);
  const above = graph.anc[t];
  if (above) for (const [a, r] of above) if (r > now) collect(a, r);
  const items: MemberItem[] = [];
  for (const [u, r] of byUser) {
    const via: PathInfo[] = [];
    collectPaths(s, r.records, r.ids, 0, r.records.length, t, now, via);
    items.push({ userId: users.ids[u]!, direct: r.direct, expiresAt: numberToEnd(r.end), via });
  }
  return items;
}

function maxInto(m: Map<number, number>, key: number, value: number): void {
  const current = m.get(key);
  if (current === undefined || value > current) m.set(key, value);
}
