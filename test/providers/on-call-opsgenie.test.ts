import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  fetchOpsgenieOnCallNow,
  fetchOpsgenieShifts,
  timelineInterval,
} from '../../src/ops/on-call/providers/opsgenie.js';
import { ProviderError } from '../../src/ops/on-call/providers/provider-error.js';
import {
  LOOPBACK,
  opsgenieTimeline,
  sendJson,
  startFakeProvider,
  type FakeProvider,
} from './on-call-fake-provider.js';

// The Opsgenie client against a local stand-in: timeline parsing (users, teams, escalations, empty slots,
// historical periods), clipping, and the interval asked for long windows.

const SCHEDULE = 'd875alp4-9b4e-4219-a803-0c26936d18de';
const KEY = 'eb243592-faa2-4ba2-a551q-1afdf565c889';
const since = new Date('2024-03-01T00:00:00Z');
const until = new Date('2024-03-08T00:00:00Z');
const config = () => ({ scheduleId: SCHEDULE, apiKey: KEY, baseUrl: fake.url });

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
});

describe('fetchOpsgenieShifts', () => {
  it('reads the final timeline: users by username, other recipients labelled, empty slots skipped', async () => {
    fake.handle = (_req, res) => sendJson(res, 200, opsgenieTimeline(SCHEDULE));
    const shifts = await fetchOpsgenieShifts(config(), since, until, { outbound: LOOPBACK });
    const [req] = fake.requests;
    expect(req!.url.pathname).toBe(`/v2/schedules/${SCHEDULE}/timeline`);
    expect(Object.fromEntries(req!.url.searchParams)).toEqual({
      identifierType: 'id',
      date: since.toISOString(),
      interval: '8',
      intervalUnit: 'days',
    });
    expect(req!.headers.authorization).toBe(`GenieKey ${KEY}`);
    expect(
      shifts.map((s) => [s.label, s.emails, s.names, s.start.toISOString(), s.end.toISOString()]),
    ).toEqual([
      [
        'alice@example.com',
        ['alice@example.com'],
        [],
        '2024-03-01T00:00:00.000Z',
        '2024-03-04T00:00:00.000Z',
      ],
      [
        'carol@example.com',
        ['carol@example.com'],
        [],
        '2024-03-01T00:00:00.000Z',
        '2024-03-02T00:00:00.000Z',
      ],
      [
        'Opsgenie escalation Ops (not a single user)',
        [],
        [],
        '2024-03-02T00:00:00.000Z',
        '2024-03-03T00:00:00.000Z',
      ],
      ['Bob@Example.com', ['Bob@Example.com'], [], '2024-03-04T00:00:00.000Z', '2024-03-05T00:00:00.000Z'],
      [
        'Opsgenie team SRE (not a single user)',
        [],
        [],
        '2024-03-05T00:00:00.000Z',
        '2024-03-08T00:00:00.000Z',
      ],
    ]);
  });

  it.each([
    [1, 2, 'days'],
    [7, 8, 'days'],
    [30, 31, 'days'],
    [31, 6, 'weeks'],
    [84, 13, 'weeks'],
    [90, 5, 'months'],
    [365, 15, 'months'],
  ])('asks a %i-day window as %i %s from its start', async (days, interval, unit) => {
    fake.handle = (_req, res) => sendJson(res, 200, { data: { finalTimeline: { rotations: [] } } });
    const end = new Date(since.getTime() + days * 86_400_000);
    expect(await fetchOpsgenieShifts(config(), since, end, { outbound: LOOPBACK })).toEqual([]);
    const q = fake.requests[0]!.url.searchParams;
    expect([q.get('date'), q.get('interval'), q.get('intervalUnit')]).toEqual([
      since.toISOString(),
      String(interval),
      unit,
    ]);
    // Whatever the unit, the asked timeline reaches past the window's end.
    const { interval: n, intervalUnit } = timelineInterval(since, end);
    const reach = new Date(since);
    if (intervalUnit === 'days') reach.setUTCDate(reach.getUTCDate() + n);
    if (intervalUnit === 'weeks') reach.setUTCDate(reach.getUTCDate() + 7 * n);
    if (intervalUnit === 'months') reach.setUTCMonth(reach.getUTCMonth() + n);
    expect(reach.getTime()).toBeGreaterThan(end.getTime());
  });

  it('reports a timeline without data or with unreadable periods as bad_response', async () => {
    for (const body of [
      { took: 0 },
      { data: { finalTimeline: { rotations: {} } } },
      {
        data: {
          finalTimeline: {
            rotations: [{ periods: [{ startDate: 'soon', endDate: '2024-03-02T00:00:00Z', recipient: {} }] }],
          },
        },
      },
    ]) {
      fake.handle = (_req, res) => sendJson(res, 200, body);
      const err = await fetchOpsgenieShifts(config(), since, until, { outbound: LOOPBACK }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ProviderError);
      expect((err as ProviderError).kind).toBe('bad_response');
    }
  });
});

describe('fetchOpsgenieOnCallNow', () => {
  it('asks the flat on-call list at an instant and returns the usernames', async () => {
    fake.handle = (_req, res) =>
      sendJson(res, 200, {
        requestId: 'r',
        took: 0.01,
        data: { _parent: { id: SCHEDULE }, onCallRecipients: ['alice@example.com', 'bob'] },
      });
    const at = new Date('2024-03-02T10:00:00Z');
    const people = await fetchOpsgenieOnCallNow(config(), at, { outbound: LOOPBACK });
    const [req] = fake.requests;
    expect(req!.url.pathname).toBe(`/v2/schedules/${SCHEDULE}/on-calls`);
    expect(Object.fromEntries(req!.url.searchParams)).toEqual({
      scheduleIdentifierType: 'id',
      flat: 'true',
      date: at.toISOString(),
    });
    expect(req!.headers.authorization).toBe(`GenieKey ${KEY}`);
    expect(people).toEqual([
      { emails: ['alice@example.com'], names: [], label: 'alice@example.com' },
      { emails: [], names: ['bob'], label: 'bob' },
    ]);
  });
});
