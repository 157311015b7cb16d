// Deterministic benchmark datasets: a layered group graph (8 levels, each about 2.5 times wider than the one
// above, 20% of groups with a second parent) and memberships spread uniformly over users and groups.

import type { EdgeFact, GrantFact, GrantSource } from '../src/domain/access-facts.js';

export type DatasetName = 'A' | 'B';

interface Shape {
  users: number;
  groups: number;
  memberships: number;
}

const SHAPES: Record<DatasetName, Shape> = {
  A: { users: 20_000, groups: 2_000, memberships: 60_000 },
  B: { users: 200_000, groups: 20_000, memberships: 1_000_000 },
};

const LEVELS = 8;
const LEVEL_GROWTH = 2.5;
const SECOND_PARENT_SHARE = 0.2;
/** Edges with an end, all in the future, so the closure holds more than "reachable forever". */
const ENDING_EDGE_SHARE = 0.05;
const EXPIRED_SHARE = 0.02;
const EXPIRING_SHARE = 0.1;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface Dataset {
  name: DatasetName;
  now: number;
  users: string[];
  groups: string[];
  /** Group ids per level, roots first. */
  levels: string[][];
  edges: EdgeFact[];
  grants: GrantFact[];
}

/** A tiny seeded PRNG (mulberry32): the same seed gives the same dataset on every machine. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(rand: () => number, items: readonly T[]): T =>
  items[Math.floor(rand() * items.length)]!;
const id = (prefix: string, n: number, width: number) => `${prefix}_${String(n).padStart(width, '0')}`;

function levelSizes(groups: number): number[] {
  const weights = Array.from({ length: LEVELS }, (_, i) => LEVEL_GROWTH ** i);
  const total = weights.reduce((a, b) => a + b);
  const sizes = weights.map((w) => Math.max(1, Math.round((groups * w) / total)));
  sizes[LEVELS - 1]! += groups - sizes.reduce((a, b) => a + b);
  return sizes;
}

function generateEdges(levels: string[][], rand: () => number, now: number): EdgeFact[] {
  const edges: EdgeFact[] = [];
  const add = (parentGroupId: string, childGroupId: string) => {
    const endsAt = rand() < ENDING_EDGE_SHARE ? now + Math.floor(rand() * 30 * DAY) + HOUR : null;
    edges.push({
      id: id('ast', edges.length + 1, 6),
      parentGroupId,
      childGroupId,
      resourceId: null,
      accessLevel: null,
      endsAt,
    });
  };
  for (let l = 1; l < levels.length; l++) {
    for (const child of levels[l]!) {
      const first = pick(rand, levels[l - 1]!);
      add(first, child);
      if (rand() >= SECOND_PARENT_SHARE) continue;
      // The second parent sits one or two levels up; edges only point down, so the graph stays acyclic.
      const up = l >= 2 && rand() < 0.5 ? l - 2 : l - 1;
      let second = pick(rand, levels[up]!);
      for (let tries = 0; second === first && tries < 8; tries++) second = pick(rand, levels[up]!);
      if (second !== first) add(second, child);
    }
  }
  return edges;
}

function grantWindow(
  rand: () => number,
  now: number,
): { startsAt: number; endsAt: number | null; source: GrantSource } {
  const startsAt = now - Math.floor(rand() * 365 * DAY) - MINUTE;
  const r = rand();
  if (r < EXPIRED_SHARE)
    return { startsAt, endsAt: now - Math.floor(rand() * 30 * DAY) - 1, source: 'request' };
  if (r < EXPIRED_SHARE + EXPIRING_SHARE) {
    const source: GrantSource = rand() < 0.1 ? 'break_glass' : 'request';
    return {
      startsAt: Math.max(startsAt, now - 12 * HOUR),
      endsAt: now + Math.floor(rand() * 12 * HOUR) + 1,
      source,
    };
  }
  return { startsAt, endsAt: null, source: rand() < 0.02 ? 'on_call' : 'direct' };
}

export function generateDataset(name: DatasetName, now: number): Dataset {
  const shape = SHAPES[name];
  const rand = mulberry32(name === 'A' ? 0xa11ce : 0xb0b);
  const users = Array.from({ length: shape.users }, (_, i) => id('usr', i + 1, 6));
  const groups = Array.from({ length: shape.groups }, (_, i) => id('grp', i + 1, 5));
  const levels: string[][] = [];
  let next = 0;
  for (const size of levelSizes(shape.groups)) {
    levels.push(groups.slice(next, next + size));
    next += size;
  }
  const edges = generateEdges(levels, rand, now);
  const grants: GrantFact[] = new Array<GrantFact>(shape.memberships);
  for (let i = 0; i < shape.memberships; i++) {
    const w = grantWindow(rand, now);
    grants[i] = {
      id: id('grt', i + 1, 7),
      userId: pick(rand, users),
      groupId: pick(rand, groups),
      resourceId: null,
      accessLevel: null,
      ...w,
    };
  }
  return { name, now, users, groups, levels, edges, grants };
}

export interface QueryPair {
  userId: string;
  groupId: string;
}

interface Reachability {
  /** Children over the edges that have not ended at the dataset's `now`. */
  children: Map<string, string[]>;
  /** Groups each user holds an active grant on at `now`. */
  granted: Map<string, string[]>;
}

const reachabilityCache = new WeakMap<Dataset, Reachability>();

function reachabilityOf(ds: Dataset): Reachability {
  const known = reachabilityCache.get(ds);
  if (known) return known;
  const children = new Map<string, string[]>();
  for (const e of ds.edges) {
    if (e.childGroupId !== null && (e.endsAt === null || e.endsAt > ds.now))
      push(children, e.parentGroupId, e.childGroupId);
  }
  const granted = new Map<string, string[]>();
  for (const g of ds.grants) {
    if (g.groupId !== null && g.startsAt <= ds.now && (g.endsAt === null || g.endsAt > ds.now))
      push(granted, g.userId, g.groupId);
  }
  const r = { children, granted };
  reachabilityCache.set(ds, r);
  return r;
}

function push(m: Map<string, string[]>, key: string, value: string): void {
  const list = m.get(key);
  if (list) list.push(value);
  else m.set(key, [value]);
}

/** Whether the user reaches the group at the dataset's `now`: a search down from each granted group. */
function reaches(r: Reachability, userId: string, groupId: string): boolean {
  const stack = [...(r.granted.get(userId) ?? [])];
  const seen = new Set(stack);
  for (let g = stack.pop(); g !== undefined; g = stack.pop()) {
    if (g === groupId) return true;
    for (const c of r.children.get(g) ?? []) {
      if (seen.has(c)) continue;
      seen.add(c);
      stack.push(c);
    }
  }
  return false;
}

/**
 * `count` (user, group) pairs where about `allowShare` are drawn from known-reachable pairs (a user's granted
 * group, or a group found by walking a few live edges down from it) and the rest uniformly at random among the
 * pairs that do not reach. The known-reachable share may include grants that have ended, so the real allow rate
 * is measured, not assumed.
 *
 * The pairs' ids are new strings, parsed from JSON as a request body brings them to the server, not the
 * dataset's own string objects that the index was built from (and holds): comparing those would be a pointer
 * comparison that no caller gets, and their characters would sit wherever the dataset left them in the heap.
 */
export function pickQueries(ds: Dataset, count: number, allowShare: number, seed: number): QueryPair[] {
  const rand = mulberry32(seed);
  const r = reachabilityOf(ds);
  const pairs: QueryPair[] = [];
  for (let i = 0; i < count; i++) {
    if (rand() >= allowShare) {
      let pair: QueryPair;
      do pair = { userId: pick(rand, ds.users), groupId: pick(rand, ds.groups) };
      while (reaches(r, pair.userId, pair.groupId));
      pairs.push(pair);
      continue;
    }
    const g = pick(rand, ds.grants);
    let groupId = g.groupId!;
    for (let steps = Math.floor(rand() * 4); steps > 0; steps--) {
      const below = r.children.get(groupId);
      if (!below) break;
      groupId = pick(rand, below);
    }
    pairs.push({ userId: g.userId, groupId });
  }
  return JSON.parse(JSON.stringify(pairs)) as QueryPair[];
}
