import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer, type FeedServer } from '../support/feed-server.js';
import { ALLOW_LOOPBACK, startHarness, type Caller, type Harness } from '../support/harness.js';

// The time engine fetches remote schedules by itself: on creation, when a group starts following one, and
// every interval after (here 300 ms instead of 5 minutes); failures back off and recover without anyone asking.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const stamp = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
const ics = (email: string, start: Date, end: Date) =>
  `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\nBEGIN:VEVENT\r\nUID:${email}@test\r\nDTSTAMP:${stamp(start)}\r\nDTSTART:${stamp(start)}\r\nDTEND:${stamp(end)}\r\nSUMMARY:${email}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;

let h: Harness;
let feed: FeedServer;
let ann: Caller;
let bob: Caller;
beforeAll(async () => {
  h = await startHarness({ jobs: true, onCallSyncIntervalMs: 300, outboundAllow: ALLOW_LOOPBACK });
  feed = await startFeedServer();
  [ann, bob] = await Promise.all([h.newUser(), h.newUser()]);
});
afterAll(async () => {
  await h?.close();
  await feed?.close();
});

async function waitFor(probe: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(50);
  }
}

describe('scheduled on-call fetches', () => {
  it('follows the feed on its own, keeps the group through an outage and recovers', async () => {
    const now = Date.now();
    feed.set(200, ics(ann.user.email, new Date(now - 3600_000), new Date(now + 3600_000)));
    const schedule = (
      await h.request('POST', '/api/v1/on-call-schedules', {
        body: { name: `feed-${now}`, provider: 'ical', config: { url: `${feed.url}/team.ics` } },
      })
    ).body;
    const group = (await h.request('POST', '/api/v1/groups', { body: { name: `followers-${now}` } })).body;
    await h.request('PUT', `/api/v1/groups/${group.id}/on-call-schedules`, {
      body: { scheduleIds: [schedule.id] },
    });
    const members = async () =>
      (await h.request('GET', `/api/v1/groups/${group.id}/members`)).body.items.map(
        (m: { userId: string }) => m.userId,
      );
    const status = async () => (await h.request('GET', `/api/v1/on-call-schedules/${schedule.id}`)).body;

    await waitFor(async () => (await members()).join() === ann.user.id, 5000);

    feed.set(500, 'boom', 'text/plain');
    await waitFor(async () => (await status()).syncStatus === 'error', 5000);
    const hitsAtFailure = feed.hits();
    await sleep(1000);
    expect(await members()).toEqual([ann.user.id]);
    // Backing off: far fewer retries than one per 300 ms interval.
    expect(feed.hits() - hitsAtFailure).toBeLessThanOrEqual(1);

    feed.set(200, ics(bob.user.email, new Date(now - 3600_000), new Date(now + 3600_000)));
    await h.request('POST', `/api/v1/on-call-schedules/${schedule.id}/sync`);
    await waitFor(async () => (await status()).syncStatus === 'ok', 5000);
    await waitFor(async () => (await members()).join() === bob.user.id, 5000);
    // Back to the normal interval: the feed is read again without being asked.
    const hits = feed.hits();
    await waitFor(async () => feed.hits() > hits + 1, 5000);
  });
});
