import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GroupMembers as Members, OnCallSchedule as Schedule } from '../support/api-types.js';
import { startFeedServer, type FeedServer } from '../support/feed-server.js';
import { ALLOW_LOOPBACK, startHarness, type Caller, type Harness } from '../support/harness.js';

// On-call schedules through the API: builtin rotations whose groups switch members exactly at the shift
// boundaries, iCalendar feeds matched to users, and a provider outage that never empties a group.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fixture = (name: string) =>
  readFileSync(new URL(`../../../shared/fixtures/oncall/${name}`, import.meta.url), 'utf8');
const icsStamp = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
const shiftIcs = (email: string, start: Date, end: Date) =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Test//On call//EN',
    'BEGIN:VEVENT',
    `UID:${email}-${start.getTime()}@test`,
    `DTSTAMP:${icsStamp(start)}`,
    `DTSTART:${icsStamp(start)}`,
    `DTEND:${icsStamp(end)}`,
    `SUMMARY:On Call - ${email}`,
    `ATTENDEE;CN=On call:mailto:${email.toUpperCase()}`,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');

let h: Harness;
let feed: FeedServer;
let ann: Caller;
let bob: Caller;
let n = 0;
beforeAll(async () => {
  h = await startHarness({ outboundAllow: ALLOW_LOOPBACK });
  feed = await startFeedServer();
  ann = await h.newUser();
  bob = await h.newUser();
});
afterAll(async () => {
  await feed?.close();
  await h?.close();
});

const newGroup = async (owner?: Caller) => {
  const res = await h.request('POST', '/api/v1/groups', {
    body: { name: `on-call-${n++}-${Date.now()}`, ...(owner ? { ownerUserIds: [owner.user.id] } : {}) },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
};
const createSchedule = async (provider: string, config: Record<string, unknown>) => {
  const res = await h.request<Schedule>('POST', '/api/v1/on-call-schedules', {
    body: { name: `schedule-${n++}-${Date.now()}`, provider, config },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
};
const follow = async (groupId: string, scheduleIds: string[], graceMinutes?: number) => {
  const res = await h.request('PUT', `/api/v1/groups/${groupId}/on-call-schedules`, {
    body: { scheduleIds, ...(graceMinutes !== undefined ? { graceMinutes } : {}) },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};
const members = async (groupId: string) =>
  (await h.request<Members>('GET', `/api/v1/groups/${groupId}/members`)).body.items
    .map((m) => m.userId)
    .sort();
const allowed = async (userId: string, groupId: string) =>
  (await h.request('GET', `/api/v1/access/check?userId=${userId}&groupId=${groupId}`)).body
    .allowed as boolean;

describe('builtin rotations', () => {
  it('switches the group at each 2-second shift boundary, and checks follow', async () => {
    // The first shift starts on the next whole second, so boundaries are known to the millisecond.
    const start = new Date(Math.ceil((Date.now() + 500) / 1000) * 1000);
    const schedule = await createSchedule('builtin', {
      timezone: 'UTC',
      layers: [{ start: start.toISOString(), shiftSeconds: 2, userIds: [ann.user.id, bob.user.id] }],
    });
    expect(schedule.syncStatus).toBe('ok');
    const groupId = await newGroup();
    await follow(groupId, [schedule.id]);

    const shiftOf = (t: number) => Math.floor((t - start.getTime()) / 2000);
    const personIn = (shift: number) => (shift % 2 === 0 ? ann.user.id : bob.user.id);
    // Sample through four boundaries: an answer asked for 250 ms or more after a boundary (and answered before
    // the next) must name the new person, both in the member list and in checks.
    const deadline = start.getTime() + 8000;
    let samples = 0;
    while (Date.now() < deadline) {
      const asked = Date.now();
      const [seen, annAllowed, bobAllowed] = await Promise.all([
        members(groupId),
        allowed(ann.user.id, groupId),
        allowed(bob.user.id, groupId),
      ]);
      const answered = Date.now();
      const shift = shiftOf(asked);
      const settled = asked - (start.getTime() + shift * 2000) >= 250 && shiftOf(answered) === shift;
      if (asked < start.getTime() && answered < start.getTime()) expect(seen).toEqual([]);
      else if (asked >= start.getTime() && settled) {
        expect(seen).toEqual([personIn(shift)]);
        expect(annAllowed).toBe(personIn(shift) === ann.user.id);
        expect(bobAllowed).toBe(personIn(shift) === bob.user.id);
        samples++;
      }
      await sleep(100);
    }
    expect(samples).toBeGreaterThan(10);
  });

  it('answers who is on call at any time, with the effective shift', async () => {
    const start = new Date('2026-01-05T09:00:00Z');
    const schedule = await createSchedule('builtin', {
      timezone: 'Europe/Berlin',
      layers: [{ start: start.toISOString(), shiftMinutes: 1440, userIds: [ann.user.id, bob.user.id] }],
      overrides: [{ userId: ann.user.id, start: '2026-01-06T12:00:00Z', end: '2026-01-06T14:00:00Z' }],
    });
    const at = async (iso: string) =>
      (await h.request('GET', `/api/v1/on-call-schedules/${schedule.id}/on-call?at=${iso}`)).body.items;
    expect(await at('2026-01-05T08:59:59Z')).toEqual([]);
    expect(await at('2026-01-05T09:00:00Z')).toEqual([
      { userId: ann.user.id, start: '2026-01-05T09:00:00.000Z', end: '2026-01-06T09:00:00.000Z' },
    ]);
    expect((await at('2026-01-06T10:00:00Z'))[0].userId).toBe(bob.user.id);
    expect(await at('2026-01-06T13:00:00Z')).toEqual([
      { userId: ann.user.id, start: '2026-01-06T12:00:00.000Z', end: '2026-01-06T14:00:00.000Z' },
    ]);
  });

  it('refuses a broken rotation with field errors and creates nothing', async () => {
    const before = (await h.request('GET', '/api/v1/on-call-schedules?limit=500')).body.items.length;
    for (const config of [
      {
        timezone: 'Mars/Olympus',
        layers: [{ start: '2026-01-01T00:00:00Z', shiftMinutes: 60, userIds: [ann.user.id] }],
      },
      {
        timezone: 'UTC',
        layers: [{ start: '2026-01-01T00:00:00Z', shiftMinutes: 60, userIds: ['usr_nobody'] }],
      },
      { timezone: 'UTC', layers: 'weekly' },
      { timezone: 'UTC', layers: [{ start: 'tomorrow', shiftMinutes: 0, userIds: [ann.user.id] }] },
    ]) {
      const res = await h.request('POST', '/api/v1/on-call-schedules', {
        body: { name: `broken-${n++}`, provider: 'builtin', config },
      });
      expect(res.status, JSON.stringify(config)).toBe(400);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.errors[0].field).toMatch(/^config\./);
    }
    expect((await h.request('GET', '/api/v1/on-call-schedules?limit=500')).body.items.length).toBe(before);
  });
});

describe('iCalendar feeds', () => {
  it('matches the fixture rotation and its override to users, leaving nothing unmatched', async () => {
    const bernard = await h.request('POST', '/api/v1/users', {
      body: { email: `bernard-${n++}@example.test`, name: 'Bernard Desruisseaux' },
    });
    const bobby = await h.request('POST', '/api/v1/users', {
      body: { email: `bob-${n++}@example.test`, name: 'Bob' },
    });
    feed.set(200, fixture('calendar_with_edited_recurring_events.ics'));
    const schedule = await createSchedule('ical', { url: `${feed.url}/private/secret-token/feed.ics` });
    expect(schedule.config).not.toHaveProperty('url');
    expect(JSON.stringify(schedule)).not.toContain('secret-token');
    const synced = await h.request<Schedule>('POST', `/api/v1/on-call-schedules/${schedule.id}/sync`);
    expect(synced.body.syncStatus, JSON.stringify(synced.body)).toBe('ok');
    // 2021 lies outside what the sync stored: an admin asks the feed itself.
    const at = async (iso: string) =>
      (await h.request('GET', `/api/v1/on-call-schedules/${schedule.id}/on-call?at=${iso}&live=true`)).body
        .items;
    expect((await at('2021-01-26T08:00:00Z')).map((s: { userId: string }) => s.userId)).toEqual([
      bernard.body.id,
    ]);
    expect((await at('2021-01-27T12:00:00Z')).map((s: { userId: string }) => s.userId)).toEqual([
      bobby.body.id,
    ]);
    expect(await at('2021-01-27T17:00:00Z')).toEqual([]);
    // Today's shifts of the daily rotation are stored and answer from the last sync.
    const unmatched = await h.request('GET', `/api/v1/on-call-schedules/${schedule.id}/unmatched`);
    expect(unmatched.status).toBe(200);
    expect(unmatched.body.items).toEqual([]);
  });

  it('keeps the group during a provider outage, shows the error, and recovers', async () => {
    const now = Date.now();
    feed.set(200, shiftIcs(ann.user.email, new Date(now - 3600_000), new Date(now + 3600_000)));
    const schedule = await createSchedule('ical', { url: `${feed.url}/outage.ics` });
    const groupId = await newGroup();
    await follow(groupId, [schedule.id]);
    expect(
      (await h.request<Schedule>('POST', `/api/v1/on-call-schedules/${schedule.id}/sync`)).body.syncStatus,
    ).toBe('ok');
    expect(await members(groupId)).toEqual([ann.user.id]);

    feed.set(503, 'down for maintenance', 'text/plain');
    const failed = await h.request<Schedule>('POST', `/api/v1/on-call-schedules/${schedule.id}/sync`);
    expect(failed.status).toBe(200);
    expect(failed.body.syncStatus).toBe('error');
    expect(failed.body.syncError).toMatch(/503/);
    expect(failed.body.lastSyncedAt).toBe(
      (await h.request<Schedule>('GET', `/api/v1/on-call-schedules/${schedule.id}`)).body.lastSyncedAt,
    );
    expect(await members(groupId)).toEqual([ann.user.id]);
    expect(await allowed(ann.user.id, groupId)).toBe(true);
    const events = await h.request('GET', `/api/v1/events?subjectId=${schedule.id}`);
    expect(events.body.items.map((e: { type: string }) => e.type)).toContain('on_call.sync_failed');

    feed.set(200, shiftIcs(bob.user.email, new Date(now - 3600_000), new Date(now + 3600_000)));
    const recovered = await h.request<Schedule>('POST', `/api/v1/on-call-schedules/${schedule.id}/sync`);
    expect(recovered.body.syncStatus).toBe('ok');
    expect(recovered.body.syncError).toBeNull();
    expect(await members(groupId)).toEqual([bob.user.id]);
    const after = await h.request('GET', `/api/v1/events?subjectId=${schedule.id}`);
    expect(after.body.items.map((e: { type: string }) => e.type)).toContain('on_call.sync_recovered');
  });
});

describe('permissions and lifecycle', () => {
  it("lets admins manage schedules and owners choose their group's schedules", async () => {
    const member = await h.newUser();
    const res = await h.as(member)('POST', '/api/v1/on-call-schedules', {
      name: 'mine',
      provider: 'builtin',
      config: { timezone: 'UTC', layers: [] },
    });
    expect(res.status).toBe(403);
    const schedule = await createSchedule('builtin', {
      timezone: 'UTC',
      layers: [
        { start: new Date(Date.now() - 60_000).toISOString(), shiftMinutes: 60, userIds: [member.user.id] },
      ],
    });
    const owned = await newGroup(member);
    const other = await newGroup();
    expect(
      (await h.as(member)('PUT', `/api/v1/groups/${other}/on-call-schedules`, { scheduleIds: [schedule.id] }))
        .status,
    ).toBe(403);
    expect(
      (await h.as(member)('PUT', `/api/v1/groups/${owned}/on-call-schedules`, { scheduleIds: [schedule.id] }))
        .status,
    ).toBe(200);
    expect(await members(owned)).toEqual([member.user.id]);
    const grants = await h.request('GET', `/api/v1/grants?groupId=${owned}&source=on_call`);
    expect(grants.body.items).toHaveLength(1);
    expect(grants.body.items[0].status).toBe('active');
    const unknown = await h.request('PUT', `/api/v1/groups/${owned}/on-call-schedules`, {
      body: { scheduleIds: ['sch_nope'] },
    });
    expect(unknown.status).toBe(400);

    expect((await h.request('DELETE', `/api/v1/on-call-schedules/${schedule.id}`)).status).toBe(409);
    await follow(owned, []);
    expect(await members(owned)).toEqual([]);
    expect((await h.request('DELETE', `/api/v1/on-call-schedules/${schedule.id}`)).status).toBe(204);
    expect((await h.request('GET', `/api/v1/on-call-schedules/${schedule.id}`)).status).toBe(404);
  });

  it('never returns a provider secret', async () => {
    const schedule = await createSchedule('pagerduty', {
      scheduleId: 'PABC123',
      apiToken: 'pd-secret-token-value',
      baseUrl: feed.url,
    });
    const list = await h.request('GET', '/api/v1/on-call-schedules?limit=500');
    const events = await h.request('GET', `/api/v1/events?subjectId=${schedule.id}`);
    for (const body of [schedule, list.body, events.body])
      expect(JSON.stringify(body)).not.toContain('pd-secret-token-value');
    const renamed = await h.request('PATCH', `/api/v1/on-call-schedules/${schedule.id}`, {
      body: { config: { scheduleId: 'PXYZ789', baseUrl: feed.url } },
    });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect(renamed.body.config).toEqual({ scheduleId: 'PXYZ789', baseUrl: feed.url });
  });
});

describe('a timeline of shifts', () => {
  it('lists a rotation shift by shift over a window, and refuses windows that are empty or too long', async () => {
    const start = new Date('2026-01-05T09:00:00Z');
    const schedule = await createSchedule('builtin', {
      timezone: 'UTC',
      layers: [
        { start: start.toISOString(), shiftMinutes: 7 * 24 * 60, userIds: [ann.user.id, bob.user.id] },
      ],
      overrides: [{ userId: bob.user.id, start: '2026-01-06T00:00:00Z', end: '2026-01-07T00:00:00Z' }],
    });
    const shifts = (from: string, until: string) =>
      h.request('GET', `/api/v1/on-call-schedules/${schedule.id}/shifts?from=${from}&until=${until}`);
    const res = await shifts('2026-01-05T09:00:00Z', '2026-01-19T09:00:00Z');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.known).toEqual({ from: '2026-01-05T09:00:00.000Z', until: '2026-01-19T09:00:00.000Z' });
    expect(res.body.items).toEqual([
      { userId: ann.user.id, start: '2026-01-05T09:00:00.000Z', end: '2026-01-06T00:00:00.000Z' },
      { userId: bob.user.id, start: '2026-01-06T00:00:00.000Z', end: '2026-01-07T00:00:00.000Z' },
      { userId: ann.user.id, start: '2026-01-07T00:00:00.000Z', end: '2026-01-12T09:00:00.000Z' },
      { userId: bob.user.id, start: '2026-01-12T09:00:00.000Z', end: '2026-01-19T09:00:00.000Z' },
    ]);
    expect((await shifts('2026-01-05T09:00:00Z', '2026-01-05T09:00:00Z')).body.code).toBe(
      'validation_failed',
    );
    expect((await shifts('2026-01-01T00:00:00Z', '2026-03-01T00:00:00Z')).body.code).toBe(
      'validation_failed',
    );
  });
});
