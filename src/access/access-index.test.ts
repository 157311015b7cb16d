import { describe, expect, it } from 'vitest';
import type { EdgeFact, GrantFact, GrantSource } from '../domain/access-facts.js';
import { AccessIndex, type PathInfo } from './access-index.js';
import { hash } from './string-ids.js';

const T0 = Date.UTC(2025, 0, 1);
const HOUR = 3_600_000;

interface GrantOptions {
  startsAt?: number;
  endsAt?: number | null;
  source?: GrantSource;
}

function groupGrant(id: string, userId: string, groupId: string, o: GrantOptions = {}): GrantFact {
  const { startsAt = T0 - HOUR, endsAt = null, source = 'direct' } = o;
  return { id, userId, groupId, resourceId: null, accessLevel: null, source, startsAt, endsAt };
}

function resourceGrant(
  id: string,
  userId: string,
  resourceId: string,
  level: string,
  o: GrantOptions = {},
): GrantFact {
  return { ...groupGrant(id, userId, '', o), groupId: null, resourceId, accessLevel: level };
}

function groupEdge(id: string, parent: string, child: string, endsAt: number | null = null): EdgeFact {
  return { id, parentGroupId: parent, childGroupId: child, resourceId: null, accessLevel: null, endsAt };
}

function resourceEdge(
  id: string,
  parent: string,
  resourceId: string,
  level: string,
  endsAt: number | null = null,
) {
  const e: EdgeFact = {
    id,
    parentGroupId: parent,
    childGroupId: null,
    resourceId,
    accessLevel: level,
    endsAt,
  };
  return e;
}

const pathKeys = (via: PathInfo[]) => via.map((p) => `${p.grantId}:${p.groupIds.join('>')}`).sort();

/** g0 -> g1 -> ... -> g{n}, with alice granted g0. */
function chain(n: number): AccessIndex {
  const edges = Array.from({ length: n }, (_, i) => groupEdge(`e${i}`, `g${i}`, `g${i + 1}`));
  return AccessIndex.build({ grants: [groupGrant('a0', 'alice', 'g0')], edges, suspendedUserIds: [] });
}

describe('AccessIndex nesting', () => {
  it('reaches a group ten levels down, with the whole chain as its path', () => {
    const index = chain(10);
    const r = index.check('alice', { groupId: 'g10' }, T0);
    expect(r.allowed).toBe(true);
    expect(r.expiresAt).toBeNull();
    expect(r.via).toEqual([
      {
        grantId: 'a0',
        source: 'direct',
        groupIds: Array.from({ length: 11 }, (_, i) => `g${i}`),
        endsAt: null,
      },
    ]);
    expect(index.check('bob', { groupId: 'g10' }, T0).allowed).toBe(false);
  });

  it('gives two paths through a diamond and keeps access through one when the other goes', () => {
    const index = AccessIndex.build({
      grants: [groupGrant('a0', 'alice', 'top')],
      edges: [
        groupEdge('l1', 'top', 'left'),
        groupEdge('r1', 'top', 'right'),
        groupEdge('l2', 'left', 'bottom', T0 + 5 * HOUR),
        groupEdge('r2', 'right', 'bottom', T0 + 2 * HOUR),
      ],
      suspendedUserIds: [],
    });
    const r = index.check('alice', { groupId: 'bottom' }, T0);
    expect(pathKeys(r.via)).toEqual(['a0:top>left>bottom', 'a0:top>right>bottom']);
    expect(r.expiresAt).toBe(T0 + 5 * HOUR);
    index.removeEdge('l1');
    const after = index.check('alice', { groupId: 'bottom' }, T0);
    expect(pathKeys(after.via)).toEqual(['a0:top>right>bottom']);
    expect(after.expiresAt).toBe(T0 + 2 * HOUR);
  });

  it('loses access when the only edge is removed, and regains it when it is added back', () => {
    const index = chain(3);
    index.removeEdge('e1');
    expect(index.check('alice', { groupId: 'g3' }, T0).allowed).toBe(false);
    expect(index.check('alice', { groupId: 'g1' }, T0).allowed).toBe(true);
    index.upsertEdge(groupEdge('e1', 'g1', 'g2'));
    expect(index.check('alice', { groupId: 'g3' }, T0).allowed).toBe(true);
  });

  it('recomputes parents before children when an edge above nodes added out of order goes', () => {
    const index = new AccessIndex();
    index.upsertGrant(groupGrant('a0', 'alice', 'p'));
    index.upsertEdge(groupEdge('pc', 'p', 'c'));
    index.upsertEdge(groupEdge('cd', 'c', 'd'));
    index.upsertEdge(groupEdge('xd', 'x', 'd'));
    index.upsertEdge(groupEdge('cx', 'c', 'x'));
    expect(pathKeys(index.check('alice', { groupId: 'd' }, T0).via)).toEqual(['a0:p>c>d', 'a0:p>c>x>d']);
    index.removeEdge('pc');
    expect(index.check('alice', { groupId: 'd' }, T0).allowed).toBe(false);
    expect(index.stats().closureEntries).toBe(3);
  });

  it('treats two edges between the same groups as two paths', () => {
    const index = chain(1);
    index.upsertEdge(groupEdge('e0b', 'g0', 'g1', T0 + HOUR));
    const r = index.check('alice', { groupId: 'g1' }, T0);
    expect(r.via.map((p) => p.endsAt).sort()).toEqual([T0 + HOUR, null].sort());
    expect(r.expiresAt).toBeNull();
    expect(index.check('alice', { groupId: 'g1' }, T0 + HOUR).via).toEqual([
      { grantId: 'a0', source: 'direct', groupIds: ['g0', 'g1'], endsAt: null },
    ]);
  });

  it('does not count an expired edge, nor an edge from its end on', () => {
    const index = chain(2);
    index.upsertEdge(groupEdge('e1', 'g1', 'g2', T0 + HOUR));
    expect(index.check('alice', { groupId: 'g2' }, T0)).toMatchObject({
      allowed: true,
      expiresAt: T0 + HOUR,
    });
    expect(index.check('alice', { groupId: 'g2' }, T0 + HOUR).allowed).toBe(false);
    index.upsertEdge(groupEdge('e1', 'g1', 'g2', T0 - 1));
    expect(index.check('alice', { groupId: 'g2' }, T0).allowed).toBe(false);
  });

  it('reaches a resource at the nested access level only', () => {
    const index = chain(2);
    index.upsertEdge(resourceEdge('x', 'g2', 'db', 'read'));
    const r = index.check('alice', { resourceId: 'db', accessLevel: 'read' }, T0);
    expect(r.allowed).toBe(true);
    expect(r.via[0]?.groupIds).toEqual(['g0', 'g1', 'g2']);
    expect(index.check('alice', { resourceId: 'db', accessLevel: 'admin' }, T0).allowed).toBe(false);
    index.upsertGrant(resourceGrant('a1', 'alice', 'db', 'admin'));
    const direct = index.check('alice', { resourceId: 'db', accessLevel: 'admin' }, T0);
    expect(direct.via).toEqual([{ grantId: 'a1', source: 'direct', groupIds: [], endsAt: null }]);
  });
});

describe('AccessIndex grant windows', () => {
  it('allows until the grant ends and denies from its end on', () => {
    const index = AccessIndex.build({
      grants: [groupGrant('a0', 'alice', 'g', { endsAt: T0 + 1000 })],
      edges: [],
      suspendedUserIds: [],
    });
    expect(index.check('alice', { groupId: 'g' }, T0)).toMatchObject({ allowed: true, expiresAt: T0 + 1000 });
    expect(index.check('alice', { groupId: 'g' }, T0 + 999).allowed).toBe(true);
    expect(index.check('alice', { groupId: 'g' }, T0 + 1000).allowed).toBe(false);
  });

  it('denies a scheduled grant before it starts', () => {
    const index = new AccessIndex();
    index.upsertGrant(groupGrant('a0', 'alice', 'g', { startsAt: T0 + HOUR }));
    expect(index.check('alice', { groupId: 'g' }, T0).allowed).toBe(false);
    expect(index.check('alice', { groupId: 'g' }, T0 + HOUR).allowed).toBe(true);
  });

  it('keeps access through an overlapping grant when one ends', () => {
    const index = new AccessIndex();
    index.upsertGrant(groupGrant('a0', 'alice', 'g', { endsAt: T0 + 2 * HOUR }));
    index.upsertGrant(groupGrant('a1', 'alice', 'g', { endsAt: T0 + 5 * HOUR, source: 'break_glass' }));
    expect(index.check('alice', { groupId: 'g' }, T0).expiresAt).toBe(T0 + 5 * HOUR);
    index.upsertGrant(groupGrant('a1', 'alice', 'g', { endsAt: T0, source: 'break_glass' }));
    const r = index.check('alice', { groupId: 'g' }, T0);
    expect(r).toMatchObject({ allowed: true, expiresAt: T0 + 2 * HOUR });
    expect(r.via.map((p) => p.grantId)).toEqual(['a0']);
    index.removeGrant('a0');
    expect(index.check('alice', { groupId: 'g' }, T0).allowed).toBe(false);
  });

  it('takes a path end from the earliest of its grant and its edges', () => {
    const index = AccessIndex.build({
      grants: [groupGrant('a0', 'alice', 'g0', { endsAt: T0 + 3 * HOUR })],
      edges: [groupEdge('e0', 'g0', 'g1', T0 + 4 * HOUR), groupEdge('e1', 'g1', 'g2', T0 + 2 * HOUR)],
      suspendedUserIds: [],
    });
    expect(index.check('alice', { groupId: 'g1' }, T0).expiresAt).toBe(T0 + 3 * HOUR);
    expect(index.check('alice', { groupId: 'g2' }, T0).via[0]?.endsAt).toBe(T0 + 2 * HOUR);
  });
});

describe('AccessIndex users and groups', () => {
  it('denies suspended users everything and restores access on re-activation', () => {
    const index = chain(2);
    index.setUserSuspended('alice', true);
    expect(index.check('alice', { groupId: 'g2' }, T0)).toEqual({ allowed: false, expiresAt: null, via: [] });
    expect(index.userAccess('alice', T0)).toEqual([]);
    expect(index.members({ groupId: 'g0' }, T0)).toEqual([]);
    index.setUserSuspended('alice', false);
    expect(index.check('alice', { groupId: 'g2' }, T0).allowed).toBe(true);
  });

  it('lists what a user reaches and who reaches an item', () => {
    const index = chain(2);
    index.upsertEdge(resourceEdge('x', 'g1', 'db', 'read'));
    index.upsertGrant(groupGrant('b0', 'bob', 'g2', { endsAt: T0 + HOUR }));
    const reached = index.userAccess('alice', T0).map((i) => i.target);
    expect(reached).toEqual(
      expect.arrayContaining([
        { groupId: 'g0' },
        { groupId: 'g1' },
        { groupId: 'g2' },
        { resourceId: 'db', accessLevel: 'read' },
      ]),
    );
    expect(reached).toHaveLength(4);
    const members = index.members({ groupId: 'g2' }, T0).sort((a, b) => a.userId.localeCompare(b.userId));
    expect(members.map((m) => [m.userId, m.direct, m.expiresAt])).toEqual([
      ['alice', false, null],
      ['bob', true, T0 + HOUR],
    ]);
  });

  it('answers the boolean and the end without listing paths', () => {
    const index = chain(2);
    index.upsertGrant(groupGrant('a1', 'alice', 'g1', { endsAt: T0 + HOUR }));
    index.removeEdge('e0');
    expect(index.accessEnd('alice', { groupId: 'g2' }, T0)).toBe(T0 + HOUR);
    expect(index.accessEnd('alice', { groupId: 'g0' }, T0)).toBeNull();
    expect(index.accessEnd('alice', { groupId: 'g2' }, T0 + HOUR)).toBeUndefined();
    expect(index.isAllowed('alice', { groupId: 'g1' }, T0)).toBe(true);
    expect(index.isAllowed('nobody', { groupId: 'g1' }, T0)).toBe(false);
  });

  it('keeps the last fact of a grant id repeated in a bulk load', () => {
    const index = AccessIndex.build({
      grants: [
        groupGrant('a0', 'alice', 'g0'),
        groupGrant('a1', 'bob', 'g0'),
        groupGrant('a0', 'carol', 'g1'),
      ],
      edges: [],
      suspendedUserIds: ['bob'],
    });
    expect(index.check('alice', { groupId: 'g0' }, T0).allowed).toBe(false);
    expect(index.check('carol', { groupId: 'g1' }, T0).via.map((p) => p.grantId)).toEqual(['a0']);
    expect(index.check('bob', { groupId: 'g0' }, T0).allowed).toBe(false);
    expect(index.stats()).toMatchObject({ grants: 2, suspendedUsers: 1 });
    index.removeGrant('a0');
    expect(index.members({ groupId: 'g1' }, T0)).toEqual([]);
  });
});

describe('AccessIndex loops', () => {
  const accepted = (e: EdgeFact, since: number): EdgeFact => ({ ...e, since });

  it('forgets an edge that had ended when a reverse edge was accepted, and takes the reverse edge', () => {
    const index = new AccessIndex();
    index.upsertGrant(groupGrant('a', 'alice', 'g2'));
    index.upsertEdge(accepted(groupEdge('down', 'g1', 'g2', T0 + 1000), T0));
    index.upsertEdge(accepted(groupEdge('up', 'g2', 'g1'), T0 + 2000));
    expect(index.parkedEdgeIds()).toEqual([]);
    expect(index.stats().edges).toBe(1);
    expect(index.check('alice', { groupId: 'g1' }, T0 + 3000).via.map((p) => p.groupIds)).toEqual([
      ['g2', 'g1'],
    ]);
  });

  it('builds from edges that form a loop through an edge that had ended, as the store may hold them', () => {
    const index = AccessIndex.build({
      grants: [groupGrant('a', 'alice', 'g2')],
      edges: [
        accepted(groupEdge('up', 'g2', 'g1'), T0 + 2000),
        accepted(groupEdge('down', 'g1', 'g2', T0 + 1000), T0),
      ],
      suspendedUserIds: [],
    });
    expect(index.parkedEdgeIds()).toEqual([]);
    expect(index.check('alice', { groupId: 'g1' }, T0 + 3000).allowed).toBe(true);
  });

  it('parks a live edge that would close a loop, denying access through it until the loop is broken', () => {
    const index = chain(5);
    index.upsertEdge(accepted(groupEdge('back', 'g5', 'g1'), T0));
    index.upsertEdge(groupEdge('self', 'g2', 'g2'));
    expect(index.parkedEdgeIds().sort()).toEqual(['back', 'self']);
    expect(index.stats()).toMatchObject({ edges: 5, parkedEdges: 2 });
    index.upsertGrant(groupGrant('z', 'zoe', 'g5'));
    expect(index.check('zoe', { groupId: 'g1' }, T0).allowed).toBe(false);
    index.removeEdge('e2');
    expect(index.parkedEdgeIds()).toEqual(['self']);
    expect(index.check('zoe', { groupId: 'g2' }, T0).allowed).toBe(true);
    index.removeEdge('self');
    expect(index.stats()).toMatchObject({ edges: 5, parkedEdges: 0 });
  });
});

describe('AccessIndex user lookup', () => {
  /** Two user ids with the same hash: both probe from the same directory row, the first added holding it. */
  function collidingIds(): [string, string] {
    const seen = new Map<number, string>();
    for (let i = 0; ; i++) {
      const id = `usr_${i}`;
      const other = seen.get(hash(id));
      if (other !== undefined) return [other, id];
      seen.set(hash(id), id);
    }
  }

  it("never answers for a user from another user's records when their ids share a hash", () => {
    const [first, second] = collidingIds();
    const now = T0;
    const index = AccessIndex.build({
      grants: [groupGrant('a', first, 'g1'), groupGrant('b', second, 'g2')],
      edges: [],
      suspendedUserIds: [],
    });
    expect([
      index.isAllowed(first, { groupId: 'g1' }, now),
      index.isAllowed(first, { groupId: 'g2' }, now),
    ]).toEqual([true, false]);
    expect([
      index.isAllowed(second, { groupId: 'g1' }, now),
      index.check(second, { groupId: 'g2' }, now).allowed,
    ]).toEqual([false, true]);
    // The first user's records all go: its row stays, with no records to confirm an id against.
    index.removeGrant('a');
    expect(index.check(second, { groupId: 'g2' }, now).via.map((p) => p.grantId)).toEqual(['b']);
    expect(index.accessEnd(first, { groupId: 'g1' }, now)).toBeUndefined();
  });

  it('confirms users whose ids a records head cannot hold: long and non-Latin-1 ids', () => {
    const ids = ['u'.repeat(61), 'usr_ü_é', 'usr_\u4e2d\u6587', `usr_${'x'.repeat(56)}`];
    const grants = ids.map((u, i) => groupGrant(`a${i}`, u, `g${i}`));
    const index = AccessIndex.build({ grants, edges: [], suspendedUserIds: [] });
    for (const [i, u] of ids.entries())
      expect(ids.map((_, j) => index.isAllowed(u, { groupId: `g${j}` }, T0))).toEqual(
        ids.map((_, j) => j === i),
      );
    expect(index.isAllowed('usr_\u4e2d\u6588', { groupId: 'g2' }, T0)).toBe(false);
  });
});
