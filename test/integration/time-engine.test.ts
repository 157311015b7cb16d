import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reminderSources } from '../../src/jobs/due-sources.js';
import { verifyAuditLog } from '../../src/ops/audit/verify.js';
import type { AuditEvent, Grant, Group } from '../support/api-types.js';
import { startHarness, type Caller, type Harness } from '../support/harness.js';
import { entry, requestKit, type AccessRequest } from '../support/requests.js';

// The time engine through the API: expiries recorded at start-up after downtime (dated when they happened),
// waking at the due time rather than on a tick, reminders sent exactly once, scheduled starts announced.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number, pollMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(pollMs);
  }
}

let h: Harness;
let holder: Caller;
let counter = 0;
beforeAll(async () => {
  h = await startHarness();
  holder = await h.newUser();
});
afterAll(() => h.close());

const group = async (hh = h) => {
  const res = await hh.request('POST', '/api/v1/groups', {
    body: { name: `time-${Date.now()}-${counter++}` },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as Group;
};
const grant = async (groupId: string, body: Record<string, unknown>, hh = h) => {
  const res = await hh.request('POST', `/api/v1/groups/${groupId}/members`, {
    body: { userId: holder.user.id, ...body },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as Grant;
};
const eventsAbout = async (type: string, grantId: string, hh = h) =>
  (await hh.request('GET', `/api/v1/events?type=${type}&subjectId=${grantId}&limit=500`)).body
    .items as AuditEvent[];
const grantsOn = async (groupId: string) =>
  (await h.request('GET', `/api/v1/grants?groupId=${groupId}&limit=500`)).body.items as Grant[];
const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();

describe('expiry', () => {
  it('records expiries that fell due while no server ran at the next start, dated at the expiry', async () => {
    const g = await group();
    const grants = await Promise.all([800, 1000, 1200].map((ms) => grant(g.id, { expiresAt: inMs(ms) })));
    await sleep(1500);
    // Down: nobody recorded anything, though reads already show the grants as expired.
    for (const gr of grants) expect(await eventsAbout('grant.expired', gr.id)).toEqual([]);
    expect((await grantsOn(g.id)).map((x) => [x.status, x.endedAt])).toEqual(
      grants.map(() => ['expired', null]),
    );

    await h.restart({ jobs: true });
    for (const gr of grants) {
      const [event, ...more] = await waitFor(async () => {
        const found = await eventsAbout('grant.expired', gr.id);
        return found.length ? found : undefined;
      }, 5000);
      expect(more).toEqual([]);
      expect(event!.createdAt).toBe(gr.expiresAt);
      expect(event!.actorId).toBeNull();
      expect(event!.subjects).toEqual([
        { type: 'grant', id: gr.id },
        { type: 'user', id: holder.user.id },
        { type: 'group', id: g.id },
      ]);
    }
    for (const after of await grantsOn(g.id)) {
      expect(after).toMatchObject({ status: 'expired', endReason: 'expired', endedBy: null });
      expect(after.endedAt).toBe(after.expiresAt);
    }
    const notices = (await h.request('GET', '/api/v1/notifications?kind=grant.expired&limit=500')).body
      .items as {
      recipientUserId: string;
      payload: { grantId: string };
    }[];
    const mine = notices.filter((n) => grants.some((gr) => gr.id === n.payload.grantId));
    expect(mine.map((n) => n.recipientUserId)).toEqual(grants.map(() => holder.user.id));
    expect((await verifyAuditLog(h.latch.deps)).ok).toBe(true);
  });

  it('wakes at the due time: the event exists within a second of the expiry, without anything calling it', async () => {
    if (!h.latch.jobs) await h.restart({ jobs: true });
    const g = await group();
    const gr = await grant(g.id, { expiresAt: inMs(1500) });
    const seenAt = await waitFor(
      async () => ((await eventsAbout('grant.expired', gr.id)).length ? Date.now() : undefined),
      5000,
      10,
    );
    const lag = seenAt - Date.parse(gr.expiresAt!);
    expect(lag).toBeGreaterThanOrEqual(0);
    expect(lag).toBeLessThan(1000);
  });

  it('announces a scheduled start once, dated at the start', async () => {
    if (!h.latch.jobs) await h.restart({ jobs: true });
    const g = await group();
    const gr = await grant(g.id, { startsAt: inMs(1200), durationMinutes: 60 });
    expect(gr.status).toBe('scheduled');
    const [started] = await waitFor(async () => {
      const found = await eventsAbout('grant.started', gr.id);
      return found.length ? found : undefined;
    }, 5000);
    expect(started!.createdAt).toBe(gr.startsAt);
    h.latch.jobs!.poke();
    await sleep(300);
    expect(await eventsAbout('grant.started', gr.id)).toHaveLength(1);
    expect((await h.request('GET', `/api/v1/grants/${gr.id}`)).body.status).toBe('active');
  });
});

describe('with the clock moved forward', () => {
  let t: Harness;
  let offsetMs = 0;
  beforeAll(async () => {
    t = await startHarness({ jobs: true, now: () => new Date(Date.now() + offsetMs) });
  });
  afterAll(() => t.close());

  const reminders = async (grantId: string) =>
    (
      (await t.request('GET', '/api/v1/notifications?kind=grant.expiring&limit=500')).body.items as {
        recipientUserId: string;
        payload: { grantId: string; reminder: string; expiresAt: string };
      }[]
    ).filter((n) => n.payload.grantId === grantId);
  const travel = async (ms: number) => {
    offsetMs = ms;
    t.latch.jobs!.poke();
    await sleep(400);
  };

  it('tells the holder 1 h before a 5 h grant ends and 30 min before a break-glass window ends, once each', async () => {
    const user = await t.newUser();
    const g = (await t.request('POST', '/api/v1/groups', { body: { name: `remind-${counter++}` } })).body as {
      id: string;
    };
    const long = (
      await t.request('POST', `/api/v1/groups/${g.id}/members`, {
        body: { userId: user.user.id, durationMinutes: 300 },
      })
    ).body as Grant;
    const short = (
      await t.request('POST', `/api/v1/groups/${g.id}/members`, {
        body: { userId: user.user.id, durationMinutes: 60 },
      })
    ).body as Grant;
    await t.request('PUT', `/api/v1/groups/${g.id}/break-glass`, {
      body: { userIds: [user.user.id], durationMinutes: 60 },
    });
    const activation = await t.as(user)('POST', `/api/v1/groups/${g.id}/break-glass/activations`, {
      reason: 'INC-7',
    });
    expect(activation.status).toBe(201);
    const bg = activation.body.grantId as string;

    await travel(29 * 60_000);
    for (const id of [long.id, short.id, bg]) expect(await reminders(id)).toEqual([]);

    await travel(30 * 60_000 + 1000);
    const [bgReminder, ...extra] = await reminders(bg);
    expect(extra).toEqual([]);
    expect(bgReminder).toMatchObject({
      recipientUserId: user.user.id,
      payload: { reminder: 'expiring_30m' },
    });
    expect(await reminders(long.id)).toEqual([]);

    await travel(4 * 3_600_000 + 1000);
    expect((await reminders(long.id)).map((n) => n.payload.reminder)).toEqual(['expiring_1h']);
    // A 1 h grant is too short for a reminder.
    expect(await reminders(short.id)).toEqual([]);
    // The break-glass window ran out meanwhile: the owners and admins hear of it like of an end by hand.
    const ended = (
      (await t.request('GET', '/api/v1/notifications?kind=break_glass.ended&limit=500')).body.items as {
        recipientUserId: string;
        payload: { activationId: string; endReason: string };
      }[]
    ).filter((n) => n.payload.activationId === activation.body.id);
    expect(ended.map((n) => n.payload.endReason)).toContain('expired');
    expect(ended.map((n) => n.recipientUserId)).toContain(t.admin.user.id);

    // However often and however concurrently the sources run, nothing is sent twice.
    await Promise.all(
      Array.from({ length: 4 }, () =>
        reminderSources.map((s) => s.processDue(t.latch.deps, t.latch.deps.now(), 500)),
      ).flat(),
    );
    await travel(4 * 3_600_000 + 2000);
    expect(await reminders(long.id)).toHaveLength(1);
    expect(await reminders(bg)).toHaveLength(1);
    const recorded = await t.latch.store.db
      .selectFrom('grant_reminders')
      .selectAll()
      .where('grant_id', 'in', [long.id, bg])
      .execute();
    expect(recorded.map((r) => r.kind).sort()).toEqual(['expiring_1h', 'expiring_30m']);
  });

  it('lapses a pending request at its deadline, with the event dated then', async () => {
    const kit = requestKit(t);
    const [asker, reviewer] = await Promise.all([t.newUser(), t.newUser()]);
    const g = await kit.group();
    await kit.configure(`groups/${g.id}`, [
      entry({ reviewerStages: [{ operator: 'any', reviewers: { userIds: [reviewer.user.id] } }] }),
    ]);
    const r = (await kit.asked(asker, { items: [{ groupId: g.id }], durationMinutes: 60 })) as AccessRequest;
    expect(await kit.events('request.expired', r.id)).toEqual([]);
    await travel(offsetMs + (Date.parse(r.expiresAt) - t.latch.deps.now().getTime()) + 1000);
    const [lapsed, ...more] = await waitFor(async () => {
      const found = await kit.events('request.expired', r.id);
      return found.length ? found : undefined;
    }, 5000);
    expect(more).toEqual([]);
    expect(lapsed!.createdAt).toBe(r.expiresAt);
  });
});
