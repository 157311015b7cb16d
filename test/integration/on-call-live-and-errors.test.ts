import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer, type FeedServer } from '../support/feed-server.js';
import { ALLOW_LOOPBACK, startHarness, type Caller, type Harness } from '../support/harness.js';

// What members may learn from a remote schedule: a provider's error body reaches admins and auditors only.

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
