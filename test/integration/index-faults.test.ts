import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Caller, type Harness } from '../support/harness.js';

// The access index when catching up fails: a committed change is acknowledged all the same, the index refuses
// to answer (503 index_behind) rather than answer from a state it knows is stale, and it recovers by itself.
// Failures are injected into the connection the index follows, nothing else.

/** Fails the next `armed` reads of the grants table made through it. */
class GrantReadFaults implements KyselyPlugin {
  armed = 0;
  transformQuery: KyselyPlugin['transformQuery'] = (args) => {
    if (this.armed > 0 && JSON.stringify(args.node).includes('"name":"grants"')) {
      this.armed -= 1;
      throw new Error('Connection terminated unexpectedly');
    }
    return args.node;
  };
  transformResult: KyselyPlugin['transformResult'] = (args) => Promise.resolve(args.result);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let h: Harness;
let alice: Caller;
const faults = new GrantReadFaults();
beforeAll(async () => {
  h = await startHarness();
  alice = await h.newUser();
  await h.restart({ syncDb: h.latch.store.db.withPlugin(faults), syncPollMs: 200 });
});
afterAll(() => h.close());

const check = (groupId: string) =>
  h.request('GET', `/api/v1/access/check?userId=${alice.user.id}&groupId=${groupId}`);

async function until(pred: () => Promise<boolean>, ms = 10_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await pred()) return;
    await sleep(50);
  }
  throw new Error('condition not met in time');
}

describe('when the access index cannot catch up', () => {
  it('acknowledges a committed grant, refuses checks until it has caught up, then answers from it', async () => {
    const group = (await h.request('POST', '/api/v1/groups', { body: { name: 'faulty-1' } })).body;
    faults.armed = 1;
    const granted = await h.request('POST', `/api/v1/groups/${group.id}/members`, {
      body: { userId: alice.user.id },
    });
    expect(granted.status).toBe(201);
    // Whatever is answered while it catches up is never an answer from the stale state.
    const during = await check(group.id);
    if (during.status === 503) {
      expect(during.body.code).toBe('index_behind');
      expect(during.headers['retry-after']).toBe('1');
    } else expect(during.body.allowed).toBe(true);
    await until(async () => (await check(group.id)).status === 200);
    expect((await check(group.id)).body.allowed).toBe(true);
    expect((await h.request('GET', '/readyz')).status).toBe(200);
  });

  it('never answers "allowed" for a grant it was told has ended, and later changes are not blocked', async () => {
    const group = (await h.request('POST', '/api/v1/groups', { body: { name: 'faulty-2' } })).body;
    const grant = (
      await h.request('POST', `/api/v1/groups/${group.id}/members`, { body: { userId: alice.user.id } })
    ).body;
    expect((await check(group.id)).body.allowed).toBe(true);
    faults.armed = 3; // the catch-up after the commit, and its first retries
    expect((await h.request('DELETE', `/api/v1/grants/${grant.id}`)).status).toBe(200);
    const seen: unknown[] = [];
    await until(async () => {
      const res = await check(group.id);
      seen.push(res.status === 200 ? res.body.allowed : res.body.code);
      return res.status === 200;
    });
    expect(seen).not.toContain(true);
    expect(seen).toContain('index_behind');
    expect(seen[seen.length - 1]).toBe(false);
    // The catch-ups that failed did not poison the ones after them.
    const again = (
      await h.request('POST', `/api/v1/groups/${group.id}/members`, { body: { userId: alice.user.id } })
    ).body;
    expect(again.id).toBeDefined();
    expect((await check(group.id)).body.allowed).toBe(true);
  });

  it('reports itself not ready while it refuses to answer', async () => {
    const group = (await h.request('POST', '/api/v1/groups', { body: { name: 'faulty-3' } })).body;
    faults.armed = 1_000_000;
    await h.request('POST', `/api/v1/groups/${group.id}/members`, { body: { userId: alice.user.id } });
    expect((await h.request('GET', '/readyz')).status).toBe(503);
    faults.armed = 0;
    await until(async () => (await h.request('GET', '/readyz')).status === 200);
  });
});
