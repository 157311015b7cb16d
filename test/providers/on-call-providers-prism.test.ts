import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchOpsgenieOnCallNow, fetchOpsgenieShifts } from '../../src/ops/on-call/providers/opsgenie.js';
import { fetchPagerDutyShifts } from '../../src/ops/on-call/providers/pagerduty.js';
import { ProviderError } from '../../src/ops/on-call/providers/provider-error.js';
import {
  LOOPBACK,
  opsgenieTimeline,
  sendJson,
  startFakeProvider,
  type FakeProvider,
} from './on-call-fake-provider.js';
import { startPrism, type Prism } from './on-call-prism.js';

// The clients against the providers' official specs, served by Prism with `--errors`: a request the spec does
// not allow (a missing header, a wrong parameter) is refused, so a 2xx proves ours conforms. Opsgenie's spec
// has no examples, so its answers are also checked the other way round: Prism as a validating proxy in front
// of the local stand-in refuses any answer the spec does not allow, and the shifts read through it must be
// those read directly.

const specs = new URL('../../../shared/fixtures/specs/', import.meta.url);
const pdSpecPath = new URL('pagerduty-rest-openapi.json', specs).pathname;
const ogSpecPath = new URL('opsgenie-swagger.json', specs).pathname;

const PD_TOKEN = 'prism-pd-token';
const OG_KEY = 'prism-og-key';
const OG_SCHEDULE = '4d4b7c3a-8c7e-4f7a-9a36-0d6e6b1b2c11';
const PD_ACCEPT = 'application/vnd.pagerduty+json;version=2, application/json;q=0.9';

let pd: Prism;
let og: Prism;
let ogProxy: Prism;
let upstream: FakeProvider;

beforeAll(async () => {
  upstream = await startFakeProvider();
  [pd, og, ogProxy] = await Promise.all([
    startPrism(['mock', pdSpecPath]),
    startPrism(['mock', ogSpecPath]),
    startPrism(['proxy', ogSpecPath, upstream.url]),
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all([pd?.stop(), og?.stop(), ogProxy?.stop(), upstream?.close()]);
});

/** The example answer the PagerDuty spec gives for `GET /oncalls`. */
function pdExample() {
  const spec = JSON.parse(readFileSync(pdSpecPath, 'utf8'));
  const value =
    spec.paths['/oncalls'].get.responses['200'].content['application/json'].examples.response.value;
  return value.oncalls[0] as {
    start: string;
    end: string;
    schedule: { id: string };
    user: { summary: string };
  };
}

describe('PagerDuty GET /oncalls (Prism mock of the official spec)', () => {
  const example = pdExample();
  const config = () => ({ scheduleId: example.schedule.id, apiToken: PD_TOKEN, baseUrl: pd.url });

  it('accepts our request and the spec example becomes a shift', async () => {
    const since = new Date(new Date(example.start).getTime() - 86_400_000);
    const until = new Date(new Date(example.end).getTime() + 86_400_000);
    const shifts = await fetchPagerDutyShifts(config(), since, until, { outbound: LOOPBACK });
    expect(shifts).toEqual([
      {
        start: new Date(example.start),
        end: new Date(example.end),
        emails: [],
        names: [example.user.summary],
        label: example.user.summary,
      },
    ]);
  });

  it('clips the example to the window and ignores it for another schedule', async () => {
    const since = new Date(example.start);
    const until = new Date(new Date(example.start).getTime() + 3600_000);
    const [shift] = await fetchPagerDutyShifts(config(), since, until, { outbound: LOOPBACK });
    expect([shift?.start, shift?.end]).toEqual([since, until]);
    expect(
      await fetchPagerDutyShifts({ ...config(), scheduleId: 'PNOTHIS' }, since, until, {
        outbound: LOOPBACK,
      }),
    ).toEqual([]);
  });

  it('refuses requests that break the spec, so the acceptance above means something', async () => {
    const query =
      'schedule_ids%5B%5D=PI7DH85&since=2015-03-06T00%3A00%3A00.000Z&include%5B%5D=users&limit=100';
    const headers = {
      authorization: `Token token=${PD_TOKEN}`,
      accept: PD_ACCEPT,
      'content-type': 'application/json',
    };
    const status = async (h: Record<string, string>, q = query) =>
      (await fetch(`${pd.url}/oncalls?${q}`, { headers: h })).status;
    expect(await status(headers)).toBe(200);
    const { authorization: _a, ...noAuth } = headers;
    expect(await status(noAuth)).toBe(401);
    const { 'content-type': _c, ...noContentType } = headers;
    expect(await status(noContentType)).toBe(400);
    expect(await status({ ...headers, 'content-type': 'text/plain' })).toBe(400);
    expect(await status({ ...headers, accept: 'text/html' })).toBe(406);
    expect(await status(headers, `${query}&since=yesterday`)).toBe(400);
    expect(await status(headers, `${query}&offset=first`)).toBe(400);
  });
});

/** The parts of Prism's generated Opsgenie answers the tests look at. */
interface Generated {
  data: {
    finalTimeline?: { rotations: { periods: { startDate: string; endDate: string }[] }[] };
    onCallRecipients?: string[];
  };
}

describe('Opsgenie schedules (Prism mock of the official spec)', () => {
  const config = () => ({ scheduleId: OG_SCHEDULE, apiKey: OG_KEY, baseUrl: og.url });
  const raw = async (path: string) =>
    (await (
      await fetch(`${og.url}${path}`, { headers: { authorization: `GenieKey ${OG_KEY}` } })
    ).json()) as Generated;

  it('accepts our timeline request; the generated periods are instants, so no shift', async () => {
    const generated = await raw(`/v2/schedules/${OG_SCHEDULE}/timeline`);
    const periods = generated.data.finalTimeline!.rotations.flatMap((r) => r.periods);
    expect(periods.length).toBeGreaterThan(0);
    expect(periods.every((p) => p.startDate === p.endDate)).toBe(true);
    const at = new Date(periods[0]!.startDate);
    const since = new Date(at.getTime() - 86_400_000);
    expect(
      await fetchOpsgenieShifts(config(), since, new Date(at.getTime() + 86_400_000), { outbound: LOOPBACK }),
    ).toEqual([]);
    // A long window asks a months interval, which the spec allows too.
    expect(
      await fetchOpsgenieShifts(config(), since, new Date(at.getTime() + 200 * 86_400_000), {
        outbound: LOOPBACK,
      }),
    ).toEqual([]);
  });

  it('accepts our on-calls request and reads the recipients it is given', async () => {
    const generated = await raw(`/v2/schedules/${OG_SCHEDULE}/on-calls?flat=true`);
    const recipients = generated.data.onCallRecipients!;
    expect(recipients.length).toBeGreaterThan(0);
    const people = await fetchOpsgenieOnCallNow(config(), new Date(), { outbound: LOOPBACK });
    expect(people.map((p) => p.label)).toEqual([...new Set(recipients)]);
  });

  it('refuses requests that break the spec', async () => {
    const path = `/v2/schedules/${OG_SCHEDULE}/timeline?identifierType=id&interval=2&intervalUnit=weeks`;
    const status = async (p: string, auth = true) =>
      (await fetch(`${og.url}${p}`, { headers: auth ? { authorization: `GenieKey ${OG_KEY}` } : {} })).status;
    expect(await status(path)).toBe(200);
    expect(await status(path, false)).toBe(401);
    expect(await status(path.replace('weeks', 'years'))).toBe(422);
    expect(await status(path.replace('identifierType=id', 'identifierType=uuid'))).toBe(422);
    expect(await status(`${path}&date=tomorrow`)).toBe(422);
  });
});

describe('Opsgenie answers checked by Prism as a validating proxy', () => {
  const since = new Date('2024-03-01T00:00:00Z');
  const until = new Date('2024-03-08T00:00:00Z');
  const config = (baseUrl: string) => ({ scheduleId: OG_SCHEDULE, apiKey: OG_KEY, baseUrl });

  it('our request and the stand-in timeline both pass; the shifts read through Prism are the direct ones', async () => {
    upstream.handle = (_req, res) => sendJson(res, 200, opsgenieTimeline(OG_SCHEDULE));
    const direct = await fetchOpsgenieShifts(config(upstream.url), since, until, { outbound: LOOPBACK });
    const viaPrism = await fetchOpsgenieShifts(config(ogProxy.url), since, until, { outbound: LOOPBACK });
    expect(direct.length).toBeGreaterThan(3);
    expect(viaPrism).toEqual(direct);
    expect(upstream.requests.at(-1)!.headers.authorization).toBe(`GenieKey ${OG_KEY}`);
  });

  it('an answer the spec does not allow is refused by Prism and reported by the client', async () => {
    upstream.handle = (_req, res) =>
      sendJson(res, 200, { requestId: 'r', took: 0, data: { finalTimeline: { rotations: 'none' } } });
    const err = await fetchOpsgenieShifts(config(ogProxy.url), since, until, { outbound: LOOPBACK }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ kind: 'unreachable', status: 500 });
  });
});
