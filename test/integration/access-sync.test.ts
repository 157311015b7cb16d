import type { KyselyPlugin } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AccessSync } from '../../src/access/access-sync.js';
import { expireDueGrants } from '../../src/ops/grants/expire.js';
import { recordGrantStarts } from '../../src/ops/grants/record-starts.js';
import { listEvents } from '../../src/store/events.js';
import { startHarness, type Caller, type Harness } from '../support/harness.js';

// A second access sync beside the harness's own, on a connection that records which tables it reads: what
// applying a change costs, not only what it yields. Changes are made through the API and the time engine's
// operations; the events they committed are then handed to the sync as a process hands it its own commits.

/** Names the tables each query touches (as found in the query tree), so a test can tell what was read. */
class TableLog implements KyselyPlugin {
  readonly tables: string[] = [];
  transformQuery: KyselyPlugin['transformQuery'] = (args) => {
    for (const name of ['events', 'grants', 'users', 'assets'])
      if (JSON.stringify(args.node).includes(`"name":"${name}"`)) this.tables.push(name);
    return args.node;
  };
  transformResult: KyselyPlugin['transformResult'] = (args) => Promise.resolve(args.result);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();

let h: Harness;
let holder: Caller;
let counter = 0;
const syncs: AccessSync[] = [];
beforeAll(async () => {
  h = await startHarness();
  holder = await h.newUser();
});
afterEach(async () => {
  await Promise.all(syncs.splice(0).map((s) => s.close()));
});
afterAll(() => h.close());

async function watchedSync(hh = h) {
  const log = new TableLog();
  const sync = await AccessSync.start({ db: hh.latch.store.db.withPlugin(log), pollIntervalMs: 0 });
  syncs.push(sync);
  return { sync, log };
}

/** Everything committed after the sync's last applied seq, as the operations that wrote it returned it. */
const committedSince = (sync: AccessSync, hh = h) =>
  listEvents(hh.latch.store.db, { afterSeq: sync.appliedSeq, limit: 1000 });

async function groupWithGrant(body: Record<string, unknown>, hh = h, userId = holder.user.id) {
  const group = await hh.request('POST', '/api/v1/groups', { body: { name: `sync-${counter++}` } });
  expect(group.status).toBe(201);
  const grant = await hh.request('POST', `/api/v1/groups/${group.body.id}/members`, {
    body: { userId, ...body },
  });
  expect(grant.status, JSON.stringify(grant.body)).toBe(201);
  return { groupId: group.body.id as string, grantId: grant.body.id as string };
}

describe('applying this process’s own commits', () => {
  it('applies events that follow its last seq as they are, without reading them back', async () => {
    const { sync, log } = await watchedSync();
    const { groupId } = await groupWithGrant({});
    const events = await committedSince(sync);
    expect(events.length).toBeGreaterThan(0);
    await sync.catchUp(events);
    expect(sync.appliedSeq).toBe(events[events.length - 1]!.seq);
    expect(log.tables).not.toContain('events');
    expect(sync.index.isAllowed(holder.user.id, { groupId }, Date.now())).toBe(true);
  });

  it('reads the log when the events handed over do not follow its last seq', async () => {
    const { sync, log } = await watchedSync();
    const first = await groupWithGrant({});
    const second = await groupWithGrant({});
    const events = await committedSince(sync);
    // Only the last commit is handed over: the ones before it were made "elsewhere" and must be read.
    await sync.catchUp(events.slice(-1));
    expect(log.tables).toContain('events');
    expect(sync.appliedSeq).toBe(events[events.length - 1]!.seq);
    for (const { groupId } of [first, second])
      expect(sync.index.isAllowed(holder.user.id, { groupId }, Date.now())).toBe(true);
  });
});

describe('the time engine’s records', () => {
  it('forgets an expired grant without reading the grant, its holder or the log', async () => {
    const { sync, log } = await watchedSync();
    const { groupId } = await groupWithGrant({ expiresAt: inMs(1500) });
    await sync.catchUp(await committedSince(sync));
    const grants = sync.index.stats().grants;
    await sleep(1600);
    await expireDueGrants(h.latch.deps);
    const events = await committedSince(sync);
    expect(events.map((e) => e.type)).toContain('grant.expired');
    log.tables.length = 0;
    await sync.catchUp(events);
    expect(log.tables).toEqual([]);
    expect(sync.index.stats().grants).toBe(grants - 1);
    expect(sync.index.check(holder.user.id, { groupId }, Date.now()).allowed).toBe(false);
  });

  it('reads nothing for a recorded start, and the grant counts from its start', async () => {
    const { sync, log } = await watchedSync();
    const { groupId } = await groupWithGrant({ startsAt: inMs(1500), durationMinutes: 60 });
    await sync.catchUp(await committedSince(sync));
    expect(sync.index.isAllowed(holder.user.id, { groupId }, Date.now())).toBe(false);
    await sleep(1600);
    await recordGrantStarts(h.latch.deps);
    const events = await committedSince(sync);
    expect(events.map((e) => e.type)).toContain('grant.started');
    log.tables.length = 0;
    await sync.catchUp(events);
    expect(log.tables).toEqual([]);
    expect(sync.index.isAllowed(holder.user.id, { groupId }, Date.now())).toBe(true);
  });

  it('reads an expiry back, and keeps the grant, while its end is still ahead by this clock', async () => {
    let offsetMs = 0;
    const ahead = await startHarness({ now: () => new Date(Date.now() + offsetMs) });
    try {
      const user = await ahead.newUser();
      const { sync, log } = await watchedSync(ahead);
      const { groupId } = await groupWithGrant({ expiresAt: inMs(3_600_000) }, ahead, user.user.id);
      await sync.catchUp(await committedSince(sync, ahead));
      // The time engine's clock runs two hours ahead of this process's: it records the expiry already.
      offsetMs = 2 * 3_600_000;
      await expireDueGrants(ahead.latch.deps);
      const events = await committedSince(sync, ahead);
      expect(events.map((e) => e.type)).toContain('grant.expired');
      log.tables.length = 0;
      await sync.catchUp(events);
      expect(log.tables).toContain('grants');
      expect(sync.index.accessEnd(user.user.id, { groupId }, Date.now())).toBeGreaterThan(Date.now());
    } finally {
      await ahead.close();
    }
  });
});
