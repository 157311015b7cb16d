import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fetchPagerDutyShifts } from '../../src/ops/on-call/providers/pagerduty.js';
import { ProviderError } from '../../src/ops/on-call/providers/provider-error.js';
import { LOOPBACK, sendJson, startFakeProvider, type FakeProvider } from './on-call-fake-provider.js';

// The PagerDuty client against a local stand-in: offset paging, window clipping, schedule filtering, the
// headers PagerDuty insists on. What the official spec says of the request is tested against Prism.

const SCHEDULE = 'PSCHED1';
const TOKEN = 'u+pdTok3n-SECRET-abc123';
const since = new Date('2024-03-01T00:00:00Z');
const until = new Date('2024-03-08T00:00:00Z');

function oncall(user: string, start: string | null, end: string | null, schedule = SCHEDULE, level = 1) {
  const name = user[0]!.toUpperCase() + user.slice(1) + ' Example';
  return {
    user: {
      id: `P${user.toUpperCase()}`,
      type: 'user',
      summary: name,
      name,
      email: `${user}@example.com`,
      self: `https://api.pagerduty.com/users/P${user.toUpperCase()}`,
      html_url: `https://acme.pagerduty.com/users/P${user.toUpperCase()}`,
    },
    schedule: { id: schedule, type: 'schedule_reference', summary: 'Primary' },
    escalation_policy: { id: 'PPOLICY', type: 'escalation_policy_reference', summary: 'Ops' },
    escalation_level: level,
    start,
    end,
  };
}

const day = (d: number, h = 0) => new Date(Date.UTC(2024, 2, d, h)).toISOString();

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
});

/** Serves `all` three entries a page, whatever limit is asked, as PagerDuty may cap it. */
function servePages(all: unknown[]) {
  fake.handle = (req, res) => {
    const offset = Number(req.url.searchParams.get('offset'));
    const oncalls = all.slice(offset, offset + 3);
    sendJson(res, 200, { oncalls, limit: 3, offset, more: offset + 3 < all.length, total: null });
  };
}

describe('fetchPagerDutyShifts', () => {
  it('follows offset paging over three pages and sends the headers and query PagerDuty expects', async () => {
    servePages([
      oncall('alice', day(1), day(2)),
      oncall('bob', day(2), day(3)),
      oncall('carol', day(2), day(3), 'POTHER'),
      oncall('dave', day(3), day(4)),
      oncall('erin', day(4), day(5)),
      oncall('alice', day(1), day(2), SCHEDULE, 2),
      oncall('frank', day(5), day(6)),
    ]);
    const shifts = await fetchPagerDutyShifts(
      { scheduleId: SCHEDULE, apiToken: TOKEN, baseUrl: fake.url },
      since,
      until,
      { outbound: LOOPBACK },
    );
    expect(fake.requests.map((r) => r.url.searchParams.get('offset'))).toEqual(['0', '3', '6']);
    for (const { url, headers } of fake.requests) {
      expect(url.pathname).toBe('/oncalls');
      expect(url.searchParams.getAll('schedule_ids[]')).toEqual([SCHEDULE]);
      expect(url.searchParams.get('since')).toBe(since.toISOString());
      expect(url.searchParams.get('until')).toBe(until.toISOString());
      expect(url.searchParams.getAll('include[]')).toEqual(['users']);
      expect(url.searchParams.get('limit')).toBe('100');
      expect(headers.authorization).toBe(`Token token=${TOKEN}`);
      expect(headers.accept).toBe('application/vnd.pagerduty+json;version=2, application/json;q=0.9');
      expect(headers['content-type']).toBe('application/json');
    }
    // carol belongs to another schedule; alice's second entry (another escalation level) is the same shift.
    expect(shifts.map((s) => [s.label, s.start.toISOString(), s.end.toISOString()])).toEqual([
      ['Alice Example', day(1), day(2)],
      ['Bob Example', day(2), day(3)],
      ['Dave Example', day(3), day(4)],
      ['Erin Example', day(4), day(5)],
      ['Frank Example', day(5), day(6)],
    ]);
    expect(shifts[0]).toMatchObject({ emails: ['alice@example.com'], names: ['Alice Example'] });
  });

  it('clips entries to the window; a null start or end means open on that side', async () => {
    servePages([
      oncall('alice', '2024-02-29T12:00:00Z', '2024-03-01T06:00:00Z'),
      oncall('bob', null, '2024-03-01T03:00:00Z'),
      oncall('carol', '2024-03-03T09:00:00+05:00', '2024-03-03T10:00:00+05:00'),
      oncall('dave', '2024-03-07T12:00:00Z', '2024-03-09T00:00:00Z'),
      oncall('erin', '2024-03-07T18:00:00Z', null),
      oncall('frank', '2024-03-09T00:00:00Z', '2024-03-10T00:00:00Z'),
      oncall('grace', '2024-02-20T00:00:00Z', '2024-03-01T00:00:00Z'),
    ]);
    const shifts = await fetchPagerDutyShifts(
      { scheduleId: SCHEDULE, apiToken: TOKEN, baseUrl: fake.url },
      since,
      until,
      { outbound: LOOPBACK },
    );
    expect(shifts.map((s) => [s.label, s.start.toISOString(), s.end.toISOString()])).toEqual([
      ['Alice Example', '2024-03-01T00:00:00.000Z', '2024-03-01T06:00:00.000Z'],
      ['Bob Example', '2024-03-01T00:00:00.000Z', '2024-03-01T03:00:00.000Z'],
      ['Carol Example', '2024-03-03T04:00:00.000Z', '2024-03-03T05:00:00.000Z'],
      ['Dave Example', '2024-03-07T12:00:00.000Z', '2024-03-08T00:00:00.000Z'],
      ['Erin Example', '2024-03-07T18:00:00.000Z', '2024-03-08T00:00:00.000Z'],
    ]);
  });

  it('keeps a base URL path prefix and reads a user given only as a reference', async () => {
    fake.handle = (_req, res) =>
      sendJson(res, 200, {
        oncalls: [
          { ...oncall('x', day(2), day(3)), user: { id: 'PX', type: 'user_reference', summary: 'Xi' } },
        ],
        more: false,
      });
    const shifts = await fetchPagerDutyShifts(
      { scheduleId: SCHEDULE, apiToken: TOKEN, baseUrl: `${fake.url}/pd/` },
      since,
      until,
      { outbound: LOOPBACK },
    );
    expect(fake.requests[0]!.url.pathname).toBe('/pd/oncalls');
    expect(shifts).toEqual([
      { start: new Date(day(2)), end: new Date(day(3)), emails: [], names: ['Xi'], label: 'Xi' },
    ]);
  });

  it('refuses a schedule with more pages than allowed instead of cutting it short', async () => {
    fake.handle = (req, res) =>
      sendJson(res, 200, { oncalls: [oncall('alice', day(1), day(2))], more: true, offset: 0, limit: 1 });
    const err = await fetchPagerDutyShifts(
      { scheduleId: SCHEDULE, apiToken: TOKEN, baseUrl: fake.url },
      since,
      until,
      { maxPages: 2, outbound: LOOPBACK },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).kind).toBe('too_large');
    expect(fake.requests).toHaveLength(2);
  });

  it.each([
    ['no oncalls list', { more: false }],
    ['more promised but none sent', { oncalls: [], more: true }],
    ['an unreadable start', { oncalls: [oncall('alice', 'yesterday', day(2))], more: false }],
    ['an entry that is not an object', { oncalls: ['alice'], more: false }],
  ])('reports an answer with %s as bad_response', async (_what, body) => {
    fake.handle = (_req, res) => sendJson(res, 200, body);
    const err = await fetchPagerDutyShifts(
      { scheduleId: SCHEDULE, apiToken: TOKEN, baseUrl: fake.url },
      since,
      until,
      { outbound: LOOPBACK },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).kind).toBe('bad_response');
    expect((err as ProviderError).message).toContain(SCHEDULE);
  });
});
