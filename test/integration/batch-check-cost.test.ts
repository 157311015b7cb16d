import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLatch, type Latch } from '../../src/main.js';
import { startHarness, type Caller, type Harness } from '../support/harness.js';

// A batch of access checks is authorised in one pass: an owner's batch over many items reads those items once,
// however many there are, instead of once per question.

class QueryCount implements KyselyPlugin {
  n = 0;
  transformQuery: KyselyPlugin['transformQuery'] = (args) => {
    this.n += 1;
    return args.node;
  };
  transformResult: KyselyPlugin['transformResult'] = (args) => Promise.resolve(args.result);
}

let h: Harness;
let owner: Caller;
let counted: Latch;
const count = new QueryCount();
const groups: string[] = [];
beforeAll(async () => {
  h = await startHarness();
  owner = await h.newUser();
  for (let i = 0; i < 120; i++)
    groups.push(
      (
        await h.request('POST', '/api/v1/groups', {
          body: { name: `batch-${i}`, ownerUserIds: [owner.user.id] },
        })
      ).body.id,
    );
  const store = h.latch.store;
  // The access index follows the log through the uncounted handle: its background polls are not the batch's.
  counted = await createLatch(
    { ...store, db: store.db.withPlugin(count) },
    { keys: h.latch.deps.keys, jobs: false, syncDb: store.db },
  );
}, 120_000);
afterAll(async () => {
  await counted.close();
  await h.close();
});

async function queriesFor(n: number): Promise<number> {
  const checks = Array.from({ length: n }, (_, i) => ({
    userId: h.admin.user.id,
    groupId: groups[i % groups.length]!,
  }));
  // Warm the token cache, so what is counted is the batch itself.
  await counted.app.inject({
    method: 'GET',
    url: '/api/v1/me',
    headers: { authorization: `Bearer ${owner.token}` },
  });
  count.n = 0;
  const res = await counted.app.inject({
    method: 'POST',
    url: '/api/v1/access/check',
    headers: { authorization: `Bearer ${owner.token}`, 'content-type': 'application/json' },
    payload: JSON.stringify({ checks }),
  });
  expect(res.statusCode).toBe(200);
  expect(res.json().results).toHaveLength(n);
  return count.n;
}

describe("an owner's batch of access checks", () => {
  it('costs the same few queries for 10 questions as for 1,000', async () => {
    const small = await queriesFor(10);
    const large = await queriesFor(1000);
    expect(large).toBe(small);
    expect(large).toBeLessThanOrEqual(4);
  });
});
