// Compares the index with a brute-force evaluator that enumerates every simple path at the query time, on random
// small graphs after random sequences of changes, and compares an incrementally updated index with a fresh build.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  edgeChild,
  grantTarget,
  isEdgeActive,
  isGrantActive,
  isGroupTarget,
  latestEnd,
  earliestEnd,
  sameTarget,
  type EdgeFact,
  type GrantFact,
  type ResourceTarget,
  type Target,
} from '../domain/access-facts.js';
import { wouldCreateCycle } from '../domain/nesting.js';
import { AccessIndex, type PathInfo } from './access-index.js';
import { MAX_PATHS } from './paths.js';

const GROUPS = ['g0', 'g1', 'g2', 'g3', 'g4', 'g5'];
const LEAVES: ResourceTarget[] = ['r0', 'r1'].flatMap((r) =>
  ['read', 'admin'].map((l) => ({ resourceId: r, accessLevel: l })),
);
const TARGETS: Target[] = [...GROUPS.map((groupId) => ({ groupId })), ...LEAVES, { groupId: 'unknown' }];
const USERS = ['u0', 'u1', 'u2', 'u3', 'nobody'];

interface Facts {
  grants: Map<string, GrantFact>;
  edges: Map<string, EdgeFact>;
  /** Edges given to the index that would close a loop: left out until the loop is broken, in arrival order. */
  parked: Map<string, EdgeFact>;
  suspended: Set<string>;
}

const closesLoop = (f: Facts, e: EdgeFact) =>
  e.childGroupId !== null &&
  wouldCreateCycle(
    [...f.edges.values()].filter((o) => o.id !== e.id),
    e.parentGroupId,
    e.childGroupId,
  );

/** What the index does with parked edges whenever an edge goes: each that no longer closes a loop is taken. */
function retryParked(f: Facts) {
  for (const [id, e] of [...f.parked])
    if (!closesLoop(f, e)) {
      f.parked.delete(id);
      f.edges.set(id, e);
    }
}

// ---- reference evaluator: every simple path, enumerated at `now` ----

function refPaths(f: Facts, userId: string, target: Target, now: number): PathInfo[] {
  if (f.suspended.has(userId)) return [];
  const paths: PathInfo[] = [];
  const emit = (g: GrantFact, groups: string[], end: number | null) =>
    paths.push({ grantId: g.id, source: g.source, groupIds: [...groups], endsAt: end });
  const walk = (g: GrantFact, stack: string[], end: number | null) => {
    for (const e of f.edges.values()) {
      if (e.parentGroupId !== stack[stack.length - 1] || !isEdgeActive(e, now)) continue;
      const child = edgeChild(e);
      const pathEnd = earliestEnd(end, e.endsAt);
      if (sameTarget(child, target))
        emit(g, isGroupTarget(child) ? [...stack, child.groupId] : stack, pathEnd);
      else if (isGroupTarget(child) && !stack.includes(child.groupId))
        walk(g, [...stack, child.groupId], pathEnd);
    }
  };
  for (const g of f.grants.values()) {
    if (g.userId !== userId || !isGrantActive(g, now)) continue;
    const start = grantTarget(g);
    if (sameTarget(start, target)) emit(g, isGroupTarget(start) ? [start.groupId] : [], g.endsAt);
    else if (isGroupTarget(start)) walk(g, [start.groupId], g.endsAt);
  }
  return paths;
}

function refExpiry(paths: PathInfo[]): number | null {
  return paths.map((p) => p.endsAt).reduce((a, b) => latestEnd(a, b));
}

// ---- comparison helpers ----

const pathKey = (p: PathInfo) => `${p.grantId}|${p.source}|${p.groupIds.join('>')}|${p.endsAt}`;
const targetKey = (t: Target) => (isGroupTarget(t) ? `g:${t.groupId}` : `r:${t.resourceId}:${t.accessLevel}`);

/** Paths compare as multisets; beyond the cap the index lists a subset of the reference's paths. */
function expectSamePaths(actual: PathInfo[], expected: PathInfo[], what: string) {
  const a = actual.map(pathKey).sort();
  const e = expected.map(pathKey).sort();
  if (e.length <= MAX_PATHS) expect(a, what).toEqual(e);
  else {
    expect(a.length, what).toBe(MAX_PATHS);
    for (const k of a) expect(e, what).toContain(k);
  }
}

/** `check`, `isAllowed` and `accessEnd` for every user and target: the cheap part of `compare`, run after every change. */
function compareChecks(index: AccessIndex, f: Facts, now: number) {
  for (const userId of USERS) {
    for (const target of TARGETS) {
      const paths = refPaths(f, userId, target, now);
      const r = index.check(userId, target, now);
      const what = `${userId} -> ${targetKey(target)} at ${now}`;
      expect(r.allowed, what).toBe(paths.length > 0);
      expect(index.isAllowed(userId, target, now), what).toBe(paths.length > 0);
      expect(index.accessEnd(userId, target, now), what).toBe(
        paths.length > 0 ? refExpiry(paths) : undefined,
      );
      expect(r.expiresAt, what).toBe(paths.length > 0 ? refExpiry(paths) : null);
      expectSamePaths(r.via, paths, what);
    }
  }
}

/** Everything: checks, then each user's listing and each item's members. */
function compare(index: AccessIndex, f: Facts, now: number) {
  compareChecks(index, f, now);
  for (const userId of USERS) {
    const reached = new Map(index.userAccess(userId, now).map((i) => [targetKey(i.target), i]));
    for (const target of TARGETS) {
      const paths = refPaths(f, userId, target, now);
      const item = reached.get(targetKey(target));
      reached.delete(targetKey(target));
      const what = `${userId} lists ${targetKey(target)} at ${now}`;
      if (paths.length === 0) expect(item, what).toBeUndefined();
      else {
        expect(item?.expiresAt, what).toBe(refExpiry(paths));
        expectSamePaths(item?.via ?? [], paths, what);
      }
    }
    expect([...reached.keys()], `${userId} reaches only known targets`).toEqual([]);
  }
  for (const target of TARGETS) {
    const members = index.members(target, now);
    const expected = USERS.flatMap((userId) => {
      const paths = refPaths(f, userId, target, now);
      if (paths.length === 0) return [];
      const direct = [...f.grants.values()].some(
        (g) => g.userId === userId && isGrantActive(g, now) && sameTarget(grantTarget(g), target),
      );
      return [{ userId, direct, expiresAt: refExpiry(paths), via: paths.map(pathKey).sort() }];
    });
    const actual = members.map((m) => ({ ...m, via: m.via.map(pathKey).sort() }));
    actual.sort((a, b) => a.userId.localeCompare(b.userId));
    expect(actual, `members of ${targetKey(target)} at ${now}`).toEqual(expected);
  }
}

// ---- generators ----

// A coarse grid, so that starts and ends often coincide.
const time = fc.integer({ min: 0, max: 10 }).map((t) => t * 10);
const end = fc.option(time, { nil: null, freq: 3 });
/** A query time is picked among the starts and ends present when it is used, or just before or after one. */
const queryTime = fc.tuple(fc.nat(), fc.constantFrom(-1, 0, 0, 1));
type QueryTime = typeof queryTime extends fc.Arbitrary<infer T> ? T : never;

function resolveTime(f: Facts, [n, offset]: QueryTime): number {
  const bounds = new Set<number>([50]);
  for (const g of f.grants.values()) bounds.add(g.startsAt).add(g.endsAt ?? 50);
  for (const e of f.edges.values()) bounds.add(e.endsAt ?? 50);
  const sorted = [...bounds].sort((a, b) => a - b);
  return sorted[n % sorted.length]! + offset;
}

const groupId = fc.constantFrom(...GROUPS);
const source = fc.constantFrom('direct', 'request', 'break_glass', 'on_call' as const);
const grantArb = fc.record({
  id: fc.constantFrom('a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7'),
  userId: fc.constantFrom('u0', 'u1', 'u2', 'u3'),
  target: fc.oneof(
    groupId.map((g): Target => ({ groupId: g })),
    fc.constantFrom(...LEAVES),
  ),
  source,
  startsAt: time,
  endsAt: end,
});
const edgeArb = fc.record({
  id: fc.constantFrom('e0', 'e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7', 'e8', 'e9'),
  parent: fc.nat({ max: GROUPS.length - 1 }),
  child: fc.oneof({ arbitrary: fc.nat({ max: GROUPS.length - 1 }), weight: 3 }, fc.constantFrom(...LEAVES)),
  endsAt: end,
});
type GrantSpec = typeof grantArb extends fc.Arbitrary<infer T> ? T : never;
type EdgeSpec = typeof edgeArb extends fc.Arbitrary<infer T> ? T : never;

const toGrant = (g: GrantSpec): GrantFact => ({
  id: g.id,
  userId: g.userId,
  groupId: isGroupTarget(g.target) ? g.target.groupId : null,
  resourceId: isGroupTarget(g.target) ? null : g.target.resourceId,
  accessLevel: isGroupTarget(g.target) ? null : g.target.accessLevel,
  source: g.source,
  startsAt: g.startsAt,
  endsAt: g.endsAt,
});

/** Initial edges point from a lower to a higher group number, so the initial graph is acyclic. */
function toEdge(e: EdgeSpec, forward: boolean): EdgeFact {
  const child = e.child;
  const base = { id: e.id, parentGroupId: GROUPS[e.parent]!, endsAt: e.endsAt };
  if (typeof child !== 'number') return { ...base, childGroupId: null, ...child };
  let [p, c] = forward ? [Math.min(e.parent, child), Math.max(e.parent, child)] : [e.parent, child];
  if (forward && p === c) [p, c] = p === 0 ? [0, 1] : [p - 1, p];
  return {
    ...base,
    parentGroupId: GROUPS[p]!,
    childGroupId: GROUPS[c]!,
    resourceId: null,
    accessLevel: null,
  };
}

const mutation = fc.oneof(
  { arbitrary: grantArb.map((g) => ({ kind: 'upsertGrant' as const, g })), weight: 4 },
  { arbitrary: grantArb.map((g) => ({ kind: 'removeGrant' as const, id: g.id })), weight: 1 },
  { arbitrary: edgeArb.map((e) => ({ kind: 'upsertEdge' as const, e })), weight: 4 },
  { arbitrary: edgeArb.map((e) => ({ kind: 'removeEdge' as const, id: e.id })), weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constant('suspend' as const),
      userId: fc.constantFrom(...USERS),
      on: fc.boolean(),
    }),
    weight: 1,
  },
  // Same endpoints, new window: the in-place paths (widening or narrowing an edge, re-timing a grant).
  {
    arbitrary: fc.record({ kind: fc.constant('retime' as const), n: fc.nat(), startsAt: time, endsAt: end }),
    weight: 3,
  },
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function apply(index: AccessIndex, f: Facts, m: Mutation) {
  switch (m.kind) {
    case 'upsertGrant':
      index.upsertGrant(toGrant(m.g));
      f.grants.set(m.g.id, toGrant(m.g));
      return;
    case 'removeGrant':
      index.removeGrant(m.id);
      f.grants.delete(m.id);
      return;
    case 'upsertEdge': {
      const e = toEdge(m.e, false);
      index.upsertEdge(e);
      f.parked.delete(e.id);
      if (closesLoop(f, e)) {
        f.edges.delete(e.id);
        f.parked.set(e.id, e);
        retryParked(f);
      } else f.edges.set(e.id, e);
      expect(index.parkedEdgeIds()).toEqual([...f.parked.keys()]);
      return;
    }
    case 'removeEdge':
      index.removeEdge(m.id);
      f.parked.delete(m.id);
      f.edges.delete(m.id);
      retryParked(f);
      return;
    case 'suspend':
      index.setUserSuspended(m.userId, m.on);
      if (m.on) f.suspended.add(m.userId);
      else f.suspended.delete(m.userId);
      return;
    case 'retime': {
      const edges = [...f.edges.values()];
      const grants = [...f.grants.values()];
      const e = edges[m.n % (edges.length + grants.length)];
      const g = grants[(m.n % (edges.length + grants.length)) - edges.length];
      if (e) {
        index.upsertEdge({ ...e, endsAt: m.endsAt });
        f.edges.set(e.id, { ...e, endsAt: m.endsAt });
      } else if (g) {
        index.upsertGrant({ ...g, startsAt: m.startsAt, endsAt: m.endsAt });
        f.grants.set(g.id, { ...g, startsAt: m.startsAt, endsAt: m.endsAt });
      }
      return;
    }
  }
}

describe('AccessIndex against a brute-force evaluator', () => {
  it('agrees on check, userAccess and members after random changes, and with a fresh build', () => {
    const scenario = fc.record({
      grants: fc.array(grantArb, { maxLength: 8 }),
      edges: fc.array(edgeArb, { maxLength: 10 }),
      suspended: fc.subarray(['u0', 'u1', 'u2', 'u3']),
      mutations: fc.array(mutation, { maxLength: 25 }),
      times: fc.array(queryTime, { minLength: 1, maxLength: 3 }),
    });
    fc.assert(
      fc.property(scenario, (s) => {
        const f: Facts = {
          grants: new Map(s.grants.map((g) => [g.id, toGrant(g)])),
          edges: new Map(s.edges.map((e) => [e.id, toEdge(e, true)])),
          parked: new Map(),
          suspended: new Set(s.suspended),
        };
        const index = AccessIndex.build({
          grants: f.grants.values(),
          edges: f.edges.values(),
          suspendedUserIds: f.suspended,
        });
        for (const [i, m] of s.mutations.entries()) {
          apply(index, f, m);
          compareChecks(index, f, resolveTime(f, s.times[i % s.times.length]!));
        }
        const rebuilt = AccessIndex.build({
          grants: f.grants.values(),
          edges: f.edges.values(),
          suspendedUserIds: f.suspended,
        });
        expect(index.stats().closureEntries).toBe(rebuilt.stats().closureEntries);
        expect(index.stats().edges).toBe(f.edges.size);
        for (const now of s.times.map((q) => resolveTime(f, q))) {
          compare(index, f, now);
          compare(rebuilt, f, now);
        }
      }),
      { numRuns: 300 },
    );
  });
});
