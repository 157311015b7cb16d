import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer, type FeedServer } from '../support/feed-server.js';
import { ALLOW_LOOPBACK, startHarness, type Caller, type Harness } from '../support/harness.js';

// PagerDuty and Opsgenie schedules through the whole service: a stand-in provider on loopback answers in the
// provider's own shapes, and the group following the schedule gets the person it names, by e-mail.

let h: Harness;
let provider: FeedServer;
let ann: Caller;
beforeAll(async () => {
  h = await startHarness({ outboundAllow: ALLOW_LOOPBACK });
  provider = await startFeedServer();
  ann = await h.newUser();
});
afterAll(async () => {
  await provider?.close();
  await h?.close();
});

const hour = 3600_000;

async function followedBy(provider: string, config: Record<string, unknown>) {
  const schedule = await h.request('POST', '/api/v1/on-call-schedules', {
    body: { name: `${provider}-${Date.now()}`, provider, config },
  });
  expect(schedule.status, JSON.stringify(schedule.body)).toBe(201);
  const group = await h.request('POST', '/api/v1/groups', {
    body: { name: `${provider}-team-${Date.now()}` },
  });
  await h.request('PUT', `/api/v1/groups/${group.body.id}/on-call-schedules`, {
    body: { scheduleIds: [schedule.body.id] },
  });
  const synced = await h.request('POST', `/api/v1/on-call-schedules/${schedule.body.id}/sync`);
  expect(synced.body.syncStatus, JSON.stringify(synced.body)).toBe('ok');
  const members = await h.request('GET', `/api/v1/groups/${group.body.id}/members`);
  return {
    scheduleId: schedule.body.id as string,
    members: members.body.items.map((m: { userId: string }) => m.userId),
  };
}

describe('remote on-call providers through the service', () => {
  it('makes the PagerDuty on-call user a member, matched by e-mail in any case', async () => {
    const now = Date.now();
    provider.set(
      200,
      JSON.stringify({
        oncalls: [
          {
            user: { id: 'PU1', summary: 'Ann', email: ann.user.email.toUpperCase() },
            schedule: { id: 'PSCHED1' },
            escalation_level: 1,
            start: new Date(now - hour).toISOString(),
            end: new Date(now + hour).toISOString(),
          },
          {
            user: { id: 'PU2', summary: 'Ghost', email: 'ghost@nowhere.test' },
            schedule: { id: 'PSCHED1' },
            start: new Date(now + hour).toISOString(),
            end: new Date(now + 2 * hour).toISOString(),
          },
        ],
        limit: 100,
        offset: 0,
        more: false,
      }),
      'application/json',
    );
    const { scheduleId, members } = await followedBy('pagerduty', {
      scheduleId: 'PSCHED1',
      apiToken: 'pd-token',
      baseUrl: provider.url,
    });
    expect(members).toEqual([ann.user.id]);
    const unmatched = await h.request('GET', `/api/v1/on-call-schedules/${scheduleId}/unmatched`);
    expect(unmatched.body.items).toEqual([
      expect.objectContaining({ label: 'Ghost', emails: ['ghost@nowhere.test'] }),
    ]);
  });

  it('makes the Opsgenie on-call user a member from the schedule timeline', async () => {
    const now = Date.now();
    provider.set(
      200,
      JSON.stringify({
        data: {
          finalTimeline: {
            rotations: [
              {
                periods: [
                  {
                    startDate: new Date(now - hour).toISOString(),
                    endDate: new Date(now + hour).toISOString(),
                    type: 'default',
                    recipient: { type: 'user', name: ann.user.email },
                  },
                ],
              },
            ],
          },
        },
      }),
      'application/json',
    );
    const { members } = await followedBy('opsgenie', {
      scheduleId: 'og-1',
      apiKey: 'og-key',
      baseUrl: provider.url,
    });
    expect(members).toEqual([ann.user.id]);
  });
});
