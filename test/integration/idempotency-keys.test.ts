import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pruneHistory } from '../../src/ops/retention/prune-history.js';
import { startHarness, type Caller, type Harness } from '../support/harness.js';

// A client that retries a create after an ambiguous failure sends the same Idempotency-Key and must get the first
// attempt's answer, never a second grant, activation, request or token.

let h: Harness;
let alice: Caller;
let n = 0;
beforeAll(async () => {
  h = await startHarness();
  alice = await h.newUser();
});
afterAll(() => h.close());

const post = (url: string, body: unknown, key?: string) =>
  h.request('POST', url, { body, ...(key ? { headers: { 'idempotency-key': key } } : {}) });
const group = async () => (await post('/api/v1/groups', { name: `idem-${n++}` })).body.id as string;
const count = async (table: 'grants' | 'api_tokens' | 'break_glass_activations', userId: string) =>
  Number(
    (
      await sql<{
        n: string;
      }>`select count(*) as n from ${sql.table(table)} where user_id = ${userId}`.execute(h.latch.store.db)
    ).rows[0]!.n,
  );

describe('Idempotency-Key on creates', () => {
  it('answers a retried grant with the first attempt, marked as replayed, and creates one grant', async () => {
    const g = await group();
    const first = await post(`/api/v1/groups/${g}/members`, { userId: alice.user.id }, 'grant-1');
    const again = await post(`/api/v1/groups/${g}/members`, { userId: alice.user.id }, 'grant-1');
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const grants = await h.request('GET', `/api/v1/grants?userId=${alice.user.id}&groupId=${g}`);
    expect(grants.body.items).toHaveLength(1);
    // Without a key, a second create is a second grant, as always.
    expect((await post(`/api/v1/groups/${g}/members`, { userId: alice.user.id })).body.id).not.toBe(
      first.body.id,
    );
  });

  it('refuses a key reused for a different request, and changes nothing', async () => {
    const g = await group();
    await post(`/api/v1/groups/${g}/members`, { userId: alice.user.id }, 'reused');
    const before = await count('grants', alice.user.id);
    const other = await post(`/api/v1/groups/${g}/members`, { userId: alice.user.id, reason: 'x' }, 'reused');
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('idempotency_key_reused');
    expect(await count('grants', alice.user.id)).toBe(before);
  });

  it('creates once when the same key arrives twice at the same moment', async () => {
    const g = await group();
    const before = await count('grants', alice.user.id);
    const [a, b] = await Promise.all([
      post(`/api/v1/groups/${g}/members`, { userId: alice.user.id }, 'race'),
      post(`/api/v1/groups/${g}/members`, { userId: alice.user.id }, 'race'),
    ]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.id).toBe(b.body.id);
    expect(await count('grants', alice.user.id)).toBe(before + 1);
  });

  it('keeps keys apart per caller', async () => {
    const g = await group();
    const bob = await h.newUser();
    await post(`/api/v1/groups/${g}/members`, { userId: alice.user.id }, 'shared-key');
    const mine = await h.as(bob)('POST', `/api/v1/users/${bob.user.id}/tokens`, { name: 'x' });
    expect(mine.status).toBe(201);
  });

  it('replays a minted token without keeping it in clear', async () => {
    const body = { name: 'ci' };
    const url = `/api/v1/users/${alice.user.id}/tokens`;
    const first = await post(url, body, 'token-1');
    const again = await post(url, body, 'token-1');
    expect(again.body.token).toBe(first.body.token);
    expect(await count('api_tokens', alice.user.id)).toBeGreaterThan(0);
    const rows = await sql<{ r: string }>`select result_sealed as r from idempotency_keys`.execute(
      h.latch.store.db,
    );
    expect(rows.rows.some((row) => row.r.includes(first.body.token))).toBe(false);
  });

  it('does not replay a create that failed: a retry runs it again', async () => {
    const g = await group();
    const refused = await post(`/api/v1/groups/${g}/break-glass/activations`, { reason: 'fire' }, 'bg-1');
    expect(refused.status).toBe(403);
    await h.request('PUT', `/api/v1/groups/${g}/break-glass`, { body: { userIds: [h.admin.user.id] } });
    const ok = await post(`/api/v1/groups/${g}/break-glass/activations`, { reason: 'fire' }, 'bg-1');
    expect(ok.status).toBe(201);
    const replay = await post(`/api/v1/groups/${g}/break-glass/activations`, { reason: 'fire' }, 'bg-1');
    expect(replay.body.id).toBe(ok.body.id);
    expect(await count('break_glass_activations', h.admin.user.id)).toBe(1);
  });

  it('refuses a malformed key', async () => {
    const g = await group();
    const res = await post(`/api/v1/groups/${g}/members`, { userId: alice.user.id }, 'x'.repeat(201));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
  });

  it('forgets a key after a day: the time engine prunes it, and a create with it then creates anew', async () => {
    const g = await group();
    const first = await post(`/api/v1/groups/${g}/members`, { userId: alice.user.id }, 'old-key');
    await sql`update idempotency_keys set created_at = created_at - interval '25 hours' where key = 'old-key'`.execute(
      h.latch.store.db,
    );
    expect((await pruneHistory(h.latch.deps, 100)).idempotencyKeys).toBe(1);
    const later = await post(`/api/v1/groups/${g}/members`, { userId: alice.user.id }, 'old-key');
    expect(later.status).toBe(201);
    expect(later.body.id).not.toBe(first.body.id);
  });
});
