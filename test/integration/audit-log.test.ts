import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../src/ops/audit/verify.js';
import { startHarness, uniqueEmail, type Harness } from '../support/harness.js';

// Each test tampers with its own clone of the store.
let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

async function seed(n: number) {
  for (let i = 0; i < n; i++)
    await h.request('POST', '/api/v1/users', { body: { email: uniqueEmail('audit'), name: `Audit ${i}` } });
}

describe('audit log', () => {
  it('writes an event with the change, chained by hash, and filters and pages them', async () => {
    const created = await h.request('POST', '/api/v1/users', {
      body: { email: uniqueEmail('ev'), name: 'Evented' },
    });
    const events = await h.request('GET', `/api/v1/events?type=user.created&subjectId=${created.body.id}`);
    expect(events.body.items).toHaveLength(1);
    const [event] = events.body.items;
    expect(event).toMatchObject({
      type: 'user.created',
      actorId: h.admin.user.id,
      subjects: [{ type: 'user', id: created.body.id }],
      data: { name: 'Evented' },
    });
    expect(event.hash).toMatch(/^[0-9a-f]{64}$/);

    await seed(4);
    const all: { seq: number; hash: string; prevHash: string }[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: typeof all; nextCursor: string | null } } = await h.request(
        'GET',
        `/api/v1/events?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      );
      all.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i + 1));
    for (let i = 1; i < all.length; i++) expect(all[i]!.prevHash).toBe(all[i - 1]!.hash);
    // Newest first pages backwards through the same events.
    const newest: number[] = [];
    cursor = null;
    do {
      const page: { body: { items: typeof all; nextCursor: string | null } } = await h.request(
        'GET',
        `/api/v1/events?order=desc&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      );
      newest.push(...page.body.items.map((e) => e.seq));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(newest).toEqual(all.map((e) => e.seq).reverse());

    const byActor = await h.request('GET', `/api/v1/events?actorId=${h.admin.user.id}&type=user.created`);
    expect(byActor.body.items.length).toBeGreaterThanOrEqual(5);
    const future = await h.request(
      'GET',
      `/api/v1/events?since=${new Date(Date.now() + 60_000).toISOString()}`,
    );
    expect(future.body.items).toHaveLength(0);
    const until = await h.request('GET', `/api/v1/events?until=2000-01-01T00:00:00Z`);
    expect(until.body.items).toHaveLength(0);
  });

  it('shows members only the events about themselves, and only admins and auditors verify', async () => {
    const member = await h.newUser('member');
    const auditor = await h.newUser('auditor');
    const mine = await h.as(member)('GET', '/api/v1/events');
    expect(mine.body.items.length).toBeGreaterThan(0);
    for (const e of mine.body.items) {
      expect(
        e.actorId === member.user.id || e.subjects.some((s: { id: string }) => s.id === member.user.id),
      ).toBe(true);
    }
    expect((await h.as(member)('GET', '/api/v1/events/verify')).status).toBe(403);
    expect((await h.as(auditor)('GET', '/api/v1/events/verify')).body.ok).toBe(true);
    expect((await h.as(auditor)('POST', '/api/v1/users', { email: uniqueEmail(), name: 'x' })).status).toBe(
      403,
    );
  });

  it('verifies a clean chain and reports the first bad seq after an event is altered', async () => {
    await seed(5);
    const clean = await h.request('GET', '/api/v1/events/verify');
    expect(clean.body).toMatchObject({ ok: true, firstBadSeq: null });
    expect(clean.body.checked).toBeGreaterThanOrEqual(7);
    await sql`update events set data = jsonb_set(data, '{name}', '"Mallory"') where seq = 4`.execute(
      h.latch.store.db,
    );
    const tampered = await h.request('GET', '/api/v1/events/verify');
    expect(tampered.body).toMatchObject({ ok: false, firstBadSeq: 4, checked: 3 });
  });

  it('detects a row deleted from the middle', async () => {
    await seed(5);
    const db = h.latch.store.db;
    await sql`delete from events where seq = 3`.execute(db);
    expect(await verifyAuditLog(h.latch.deps)).toMatchObject({ ok: false, firstBadSeq: 3 });
  });

  it('detects deletion of the newest events', async () => {
    await seed(5);
    const db = h.latch.store.db;
    const max = (await sql<{ m: number }>`select max(seq)::int as m from events`.execute(db)).rows[0]!.m;
    await sql`delete from events where seq = ${max}`.execute(db);
    expect(await verifyAuditLog(h.latch.deps)).toMatchObject({ ok: false, firstBadSeq: max });
  });

  it('detects two events whose seqs were swapped', async () => {
    await seed(5);
    const db = h.latch.store.db;
    await sql`update events set seq = -1 where seq = 3`.execute(db);
    await sql`update events set seq = 3 where seq = 4`.execute(db);
    await sql`update events set seq = 4 where seq = -1`.execute(db);
    expect(await verifyAuditLog(h.latch.deps)).toMatchObject({ ok: false, firstBadSeq: 3 });
  });

  it('keeps one consistent chain under concurrent writers', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        h.request('POST', '/api/v1/users', { body: { email: uniqueEmail(`c${i}`), name: 'Concurrent' } }),
      ),
    );
    const result = await verifyAuditLog(h.latch.deps);
    expect(result.ok).toBe(true);
    expect(result.checked).toBeGreaterThanOrEqual(22);
  });

  it('does not write an event when the change fails', async () => {
    const before = await verifyAuditLog(h.latch.deps);
    const email = uniqueEmail('once');
    await h.request('POST', '/api/v1/users', { body: { email, name: 'Once' } });
    await h.request('POST', '/api/v1/users', { body: { email, name: 'Twice' } });
    const after = await verifyAuditLog(h.latch.deps);
    expect(after.checked).toBe(before.checked + 1);
  });
});
