import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer, type FeedServer } from '../support/feed-server.js';
import { ALLOW_LOOPBACK, startHarness, type Caller, type Harness } from '../support/harness.js';

// What members may learn from a remote schedule, and when Latch calls its provider: a provider's error body
// reaches admins and auditors only; who is on call is answered from stored shifts, for everyone; a time
// outside them is "not known" without any outbound call; only admins may ask the provider live, a few times
// per schedule, each call audited.

let h: Harness;
let feed: FeedServer;
let ann: Caller;
let member: Caller;
let auditor: Caller;
let n = 0;
beforeAll(async () => {
  h = await startHarness({ outboundAllow: ALLOW_LOOPBACK });
  feed = await startFeedServer();
  [ann, member, auditor] = await Promise.all([h.newUser(), h.newUser(), h.newUser('auditor')]);
});
afterAll(async () => {
  await feed?.close();
  await h?.close();
});

const stamp = (d: Date) =>
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
    `UID:${start.getTime()}@test`,
    `DTSTAMP:${stamp(start)}`,
    `DTSTART:${stamp(start)}`,
    `DTEND:${stamp(end)}`,
    `SUMMARY:On Call - ${email}`,
    `ATTENDEE;CN=On call:mailto:${email}`,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');

async function syncedSchedule() {
  const now = Date.now();
  feed.set(200, shiftIcs(ann.user.email, new Date(now - 3600_000), new Date(now + 3600_000)));
  const created = await h.request('POST', '/api/v1/on-call-schedules', {
    body: { name: `live-${n++}`, provider: 'ical', config: { url: `${feed.url}/team-${n}.ics` } },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const synced = await h.request('POST', `/api/v1/on-call-schedules/${created.body.id}/sync`);
  expect(synced.body.syncStatus).toBe('ok');
  return created.body.id as string;
}

describe("a provider's error body", () => {
  const SAID = 'db-17.corp.example: password for svc_calendar expired';

  it('is shown to admins and auditors, never to members', async () => {
    const id = await syncedSchedule();
    feed.set(503, SAID, 'text/plain');
    const failed = await h.request('POST', `/api/v1/on-call-schedules/${id}/sync`);
    expect(failed.body).toMatchObject({
      syncStatus: 'error',
      syncError: expect.stringMatching(/the provider failed \(HTTP 503\)/),
      syncErrorDetail: SAID,
    });
    expect(failed.body.syncError).toContain('127.0.0.1');
    expect(failed.body.syncError).not.toContain('svc_calendar');

    const one = `/api/v1/on-call-schedules/${id}`;
    const all = '/api/v1/on-call-schedules?limit=500';
    const fromList = (body: { items: Record<string, unknown>[] }) => body.items.find((s) => s.id === id)!;
    for (const reader of [member, ann]) {
      const seen = [(await h.as(reader)('GET', one)).body, fromList((await h.as(reader)('GET', all)).body)];
      for (const s of seen) {
        expect(s.syncError).toMatch(/HTTP 503/);
        expect(s).not.toHaveProperty('syncErrorDetail');
        expect(JSON.stringify(s)).not.toContain('svc_calendar');
      }
    }
    for (const reader of [auditor, h.admin]) {
      expect((await h.as(reader)('GET', one)).body.syncErrorDetail).toBe(SAID);
      expect(fromList((await h.as(reader)('GET', all)).body).syncErrorDetail).toBe(SAID);
    }
    // Members see no event about the schedule; admins see the failure with the provider's words apart.
    const events = `/api/v1/events?subjectId=${id}&type=on_call.sync_failed`;
    expect(JSON.stringify((await h.as(member)('GET', events)).body)).not.toContain('svc_calendar');
    expect((await h.request('GET', events)).body.items[0].data).toMatchObject({ detail: SAID });
  });
});

describe('who is on call at a time', () => {
  it('answers members from stored shifts only: inside the window from them, outside it "not known"', async () => {
    const id = await syncedSchedule();
    const hits = feed.hits();
    const at = (iso: string, who: Caller = member) =>
      h.as(who)('GET', `/api/v1/on-call-schedules/${id}/on-call?at=${iso}`);

    const now = await at(new Date().toISOString());
    expect(now.status).toBe(200);
    expect(now.body).toMatchObject({ source: 'stored', items: [{ userId: ann.user.id }] });

    const past = await at('2021-01-26T08:00:00Z');
    expect(past.status).toBe(409);
    expect(past.body.code).toBe('outside_known_window');
    expect(past.body.detail).toMatch(/is not known: its last good sync covers .* to .*live=true/);
    expect((await at('2030-01-01T00:00:00Z', h.admin)).status).toBe(409);

    const asked = await h.as(member)(
      'GET',
      `/api/v1/on-call-schedules/${id}/on-call?at=2021-01-26T08:00:00Z&live=true`,
    );
    expect(asked.status).toBe(403);
    expect(feed.hits()).toBe(hits);
  });

  it('lets admins ask the provider live, audited, and refuses a burst with 429 and Retry-After', async () => {
    const id = await syncedSchedule();
    const hits = feed.hits();
    const live = () =>
      h.request('GET', `/api/v1/on-call-schedules/${id}/on-call?at=${new Date().toISOString()}&live=true`);
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await live());
    expect(answers.slice(0, 3).map((r) => [r.status, r.body.source])).toEqual([
      [200, 'live'],
      [200, 'live'],
      [200, 'live'],
    ]);
    expect(answers[0]!.body.items).toMatchObject([{ userId: ann.user.id }]);
    expect(feed.hits()).toBe(hits + 3);

    const limited = answers[3]!;
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(20);
    expect(feed.hits()).toBe(hits + 3);

    const audited = await h.request(
      'GET',
      `/api/v1/events?subjectId=${id}&type=on_call.live_fetch_requested`,
    );
    expect(audited.body.items).toHaveLength(3);
    expect(audited.body.items[0]).toMatchObject({
      actorId: h.admin.user.id,
      subjects: [{ type: 'on_call_schedule', id }],
    });

    // Another schedule has its own allowance.
    const other = await syncedSchedule();
    const res = await h.request('GET', `/api/v1/on-call-schedules/${other}/on-call?live=true`);
    expect(res.status).toBe(200);
  });
});
