import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fetchOpsgenieShifts } from '../../src/ops/on-call/providers/opsgenie.js';
import { fetchPagerDutyShifts, type PagerDutyOptions } from '../../src/ops/on-call/providers/pagerduty.js';
import { ProviderError, type ProviderErrorKind } from '../../src/ops/on-call/providers/provider-error.js';
import { freePort } from '../support/processes.js';
import { LOOPBACK, sendJson, startFakeProvider, type FakeProvider } from './on-call-fake-provider.js';

// How a provider's failures reach the sync job: one ProviderError kind per failure, with the status and
// retry delay when known, and never the token or key in the message.

const TOKEN = 'y_NbAkKc66ryYTWUXYEu-secret';
const KEY = 'eb243592-faa2-4ba2-a551-secretkey';
const since = new Date('2024-03-01T00:00:00Z');
const until = new Date('2024-03-02T00:00:00Z');

let fake: FakeProvider;
let other: FakeProvider;
beforeAll(async () => {
  [fake, other] = await Promise.all([startFakeProvider(), startFakeProvider()]);
});
afterAll(() => Promise.all([fake.close(), other.close()]));
beforeEach(() => {
  fake.requests.length = 0;
  other.requests.length = 0;
});

const pd = (baseUrl = fake.url, opts: PagerDutyOptions = {}) =>
  fetchPagerDutyShifts({ scheduleId: 'PSCHED1', apiToken: TOKEN, baseUrl }, since, until, {
    outbound: LOOPBACK,
    ...opts,
  });
const og = () =>
  fetchOpsgenieShifts({ scheduleId: 'sched-1', apiKey: KEY, baseUrl: fake.url }, since, until, {
    outbound: LOOPBACK,
  });

/** The ProviderError `p` fails with; its message must name the schedule and hold no secret. */
async function failure(p: Promise<unknown>, kind: ProviderErrorKind): Promise<ProviderError> {
  const err = await p.then(
    () => {
      throw new Error('expected the fetch to fail');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  const e = err as ProviderError;
  expect({ kind: e.kind, message: e.message }).toMatchObject({
    kind,
    message: expect.stringMatching(/sched/i),
  });
  for (const secret of [TOKEN, KEY]) {
    expect(e.message).not.toContain(secret);
    expect(JSON.stringify(e)).not.toContain(secret);
    expect(String(e.stack)).not.toContain(secret);
  }
  return e;
}

const empty = { oncalls: [], more: false };

describe('provider failures', () => {
  it('401 is unauthorized, with the provider message but never the token it echoes', async () => {
    fake.handle = (req, res) =>
      sendJson(res, 401, { error: { message: `Invalid token ${req.headers.authorization}`, code: 2006 } });
    const e = await failure(pd(), 'unauthorized');
    expect(e.status).toBe(401);
    expect(e.message).toContain('127.0.0.1');
    // What the provider said is kept apart from Latch's own words, and redacted too.
    expect(e.message).not.toContain('Invalid token');
    expect(e.detail).toContain('Invalid token Token token=[redacted]');
  });

  it('403 from Opsgenie is unauthorized and keeps the key out', async () => {
    fake.handle = (req, res) =>
      sendJson(res, 403, { message: `Key ${req.headers.authorization} lacks access` });
    const e = await failure(og(), 'unauthorized');
    expect(e.status).toBe(403);
  });

  it('404 is not_found', async () => {
    fake.handle = (_req, res) => sendJson(res, 404, { message: 'Schedule with id [sched-1] does not exist' });
    const e = await failure(og(), 'not_found');
    expect(e.message).toMatch(/does not exist \(HTTP 404\)$/);
    expect(e.detail).toBe('Schedule with id [sched-1] does not exist');
  });

  it('429 is rate_limited with the delay from Retry-After (seconds or a date) or Opsgenie’s header', async () => {
    fake.handle = (_req, res) => sendJson(res, 429, { error: 'slow down' }, { 'retry-after': '7' });
    expect((await failure(pd(), 'rate_limited')).retryAfterMs).toBe(7000);
    const at = new Date(Date.now() + 60_000).toUTCString();
    fake.handle = (_req, res) => sendJson(res, 429, {}, { 'retry-after': at });
    const ms = (await failure(pd(), 'rate_limited')).retryAfterMs!;
    expect(ms).toBeGreaterThan(55_000);
    expect(ms).toBeLessThanOrEqual(60_000);
    fake.handle = (_req, res) => sendJson(res, 429, {}, { 'x-ratelimit-period-in-sec': '30' });
    expect((await failure(og(), 'rate_limited')).retryAfterMs).toBe(30_000);
  });

  it('5xx is unreachable with its status; another refusal is bad_response', async () => {
    fake.handle = (_req, res) => res.writeHead(503, { 'content-type': 'text/html' }).end('<html>down</html>');
    const e = await failure(pd(), 'unreachable');
    expect(e.status).toBe(503);
    expect(e.message).not.toContain('<html>');
    fake.handle = (_req, res) =>
      sendJson(res, 400, { error: { message: 'Invalid Input', errors: ['bad since'] } });
    expect((await failure(pd(), 'bad_response')).detail).toBe('Invalid Input; bad since');
  });

  it('a refused connection is unreachable', async () => {
    const port = await freePort();
    const e = await failure(pd(`http://127.0.0.1:${port}`), 'unreachable');
    expect(e.message).toContain('ECONNREFUSED');
  });

  it('a server that never answers, or stops mid-body, is a timeout', async () => {
    fake.handle = () => undefined;
    const started = Date.now();
    await failure(pd(fake.url, { timeoutMs: 200 }), 'timeout');
    expect(Date.now() - started).toBeLessThan(2000);
    fake.handle = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"oncalls": [');
    };
    await failure(pd(fake.url, { timeoutMs: 200 }), 'timeout');
  });

  it('a body over the cap is too_large, whether declared or streamed', async () => {
    fake.handle = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(6 * 1024 * 1024) });
      res.write('{"oncalls": [');
    };
    await failure(pd(), 'too_large');
    // No Content-Length: 5.5 MB arrive in chunks and the default 5 MB cap stops the read.
    fake.handle = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = ' '.repeat(64 * 1024);
      for (let i = 0; i < 88; i++) res.write(chunk);
      res.end(JSON.stringify(empty));
    };
    await failure(pd(), 'too_large');
    // The same answer fits under a larger cap.
    expect(await pd(fake.url, { maxBytes: 6 * 1024 * 1024 })).toEqual([]);
  });

  it('malformed JSON is bad_response', async () => {
    fake.handle = (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"oncalls": [');
    await failure(pd(), 'bad_response');
  });

  it('follows a redirect within the origin with credentials, and to another origin without them', async () => {
    fake.handle = (req, res) => {
      if (req.url.pathname === '/v1/oncalls') return sendJson(res, 200, empty);
      res.writeHead(302, { location: `/v1/oncalls${req.url.search}` }).end();
    };
    expect(await pd()).toEqual([]);
    expect(fake.requests.map((r) => [r.url.pathname, r.headers.authorization])).toEqual([
      ['/oncalls', `Token token=${TOKEN}`],
      ['/v1/oncalls', `Token token=${TOKEN}`],
    ]);
    other.handle = (_req, res) => sendJson(res, 200, empty);
    fake.handle = (req, res) =>
      res.writeHead(307, { location: `${other.url}/oncalls${req.url.search}` }).end();
    expect(await pd()).toEqual([]);
    expect(other.requests).toHaveLength(1);
    expect(other.requests[0]!.headers.authorization).toBeUndefined();
    expect(other.requests[0]!.headers['content-type']).toBe('application/json');
  });

  it('too many redirects, or one to another scheme, is bad_response', async () => {
    fake.handle = (req, res) => res.writeHead(301, { location: `/again${req.url.search}` }).end();
    expect((await failure(pd(fake.url, { maxRedirects: 2 }), 'bad_response')).message).toContain('redirects');
    expect(fake.requests).toHaveLength(3);
    fake.handle = (_req, res) => res.writeHead(302, { location: 'file:///etc/passwd' }).end();
    await failure(pd(), 'bad_response');
  });

  it('an invalid base URL is a validation error naming the field', async () => {
    const err = await pd('ftp://example.com').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'validation_failed', errors: [{ field: 'config.baseUrl' }] });
  });
});

describe('a stray listener', () => {
  it('a plain TCP server that closes at once is unreachable', async () => {
    const server = createServer();
    server.on('connection', (socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      await failure(pd(`http://127.0.0.1:${port}`), 'unreachable');
    } finally {
      server.close();
    }
  });
});
