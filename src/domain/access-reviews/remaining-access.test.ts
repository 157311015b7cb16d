import { describe, expect, it } from 'vitest';
import { edgeKey, survivingPath } from './remaining-access.js';

describe('access that survives a close', () => {
  const group = { groupId: 'g' };
  const paths = [
    { grantId: 'grt_direct', groupIds: ['g'] },
    { grantId: 'grt_n', groupIds: ['n', 'g'] },
    { grantId: 'grt_m', groupIds: ['m', 'n', 'g'] },
  ];

  it('is a path through no grant ended and no edge removed by it', () => {
    expect(survivingPath(paths, group, new Set(['grt_direct']), new Set())).toEqual(paths[1]);
    expect(
      survivingPath(paths, group, new Set(['grt_direct']), new Set([edgeKey('n', group)])),
    ).toBeUndefined();
    expect(
      survivingPath(
        paths,
        group,
        new Set(['grt_direct', 'grt_n']),
        new Set([edgeKey('m', { groupId: 'n' })]),
      ),
    ).toBeUndefined();
    expect(survivingPath(paths, group, new Set(['grt_direct', 'grt_n']), new Set())).toEqual(paths[2]);
  });

  it('counts the last edge into a resource at its level', () => {
    const db = { resourceId: 'res', accessLevel: 'read' };
    const via = [
      { grantId: 'grt_db', groupIds: [] },
      { grantId: 'grt_t', groupIds: ['t'] },
    ];
    expect(survivingPath(via, db, new Set(['grt_db']), new Set([edgeKey('t', db)]))).toBeUndefined();
    expect(
      survivingPath(via, db, new Set(['grt_db']), new Set([edgeKey('t', { ...db, accessLevel: 'admin' })])),
    ).toEqual(via[1]);
    expect(survivingPath(via, db, new Set(), new Set([edgeKey('t', db)]))).toEqual(via[0]);
  });
});
