import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantFact } from '../../src/access/facts-from-rows.js';
import { grantFactAt } from '../../src/domain/access-facts.js';
import { grantRowsByIds } from '../../src/store/grants.js';
import { liveGrantColumns } from '../../src/store/index-feed.js';
import { startHarness, type Harness } from '../support/harness.js';

// The index is built at start-up from grants read as JSON aggregated by the database; every later change is read
// as rows. Both must give the index the same facts, to the millisecond, or a restart would move ends.

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('grants read for building the index', () => {
  it('give the same facts as grant rows, and only those that still count', async () => {
    const db = h.latch.deps.db;
    const user = await h.newUser();
    const api = h.as(h.admin);
    const created = await api<{ id: string }>('POST', '/api/v1/groups', { name: `feed-${Date.now()}` });
    expect(created.status).toBe(201);
    const group = created.body;
    const made = await api<{ id: string }>('POST', '/api/v1/resources', {
      name: `feed-r-${Date.now()}`,
      type: 'database',
      accessLevels: ['read'],
    });
    expect(made.status).toBe(201);
    const resource = made.body;
    const now = new Date();
    const at = (ms: number) => new Date(now.getTime() + ms);
    // Microseconds past the millisecond, ends before and after now, a resource at an access level.
    const cases = [
      { starts: '2025-01-02 03:04:05.678901+00', expires: null, ended: null },
      { starts: '2025-01-02 03:04:05.999999+00', expires: at(3_600_000), ended: null },
      { starts: at(60_000), expires: at(7_200_000), ended: at(3_600_000) },
      { starts: '2025-06-01 00:00:00+00', expires: at(-1_000), ended: null },
      { starts: '2025-06-01 00:00:00+00', expires: null, ended: at(-1_000) },
      { starts: '2025-06-01 00:00:00.0005+00', expires: at(1_000), ended: at(500_000), resource: true },
    ];
    const ids = cases.map((_, i) => `grt_feed_${now.getTime()}_${i}`);
    for (const [i, c] of cases.entries())
      await sql`insert into grants (id, user_id, group_id, resource_id, access_level, source, created_at, starts_at,
                                    expires_at, ended_at)
                values (${ids[i]}, ${user.user.id}, ${c.resource ? null : group.id}, ${c.resource ? resource.id : null},
                        ${c.resource ? 'read' : null}, 'direct', ${now}, ${c.starts}::timestamptz, ${c.expires},
                        ${c.ended})`.execute(db);

    const columns = await liveGrantColumns(db, now);
    const read = new Map(
      columns.ids.flatMap((id, i) => (ids.includes(id) ? [[id, grantFactAt(columns, i)] as const] : [])),
    );
    const rows = await grantRowsByIds(db, ids);
    const live = rows.filter((r) => !ids.slice(3, 5).includes(r.id));
    expect([...read.keys()].sort()).toEqual(live.map((r) => r.id).sort());
    for (const r of live) expect(read.get(r.id)).toEqual(grantFact(r));
  });
});
