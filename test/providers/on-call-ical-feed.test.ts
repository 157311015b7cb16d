import { readFileSync } from 'node:fs';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fetchIcalFeed, icalFeedUrl } from '../../src/ops/on-call/providers/ical-feed.js';
import { ProviderError } from '../../src/ops/on-call/providers/provider-error.js';
import { LOOPBACK, startFakeProvider, type FakeProvider } from './on-call-fake-provider.js';

// Fetching iCalendar feeds: a real Google Calendar export served as is, webcal:// spoken as https, failures
// reported without the secret a private feed URL carries.

const calendar = readFileSync(
  new URL('../../../shared/fixtures/oncall/calendar_with_recurring_event.ics', import.meta.url),
  'utf8',
);
const SECRET_PATH = 'private-3f9a1c2b7d4e8f60';
const SECRET_TOKEN = 'tok_9d8c7b6a5f4e3d2c';

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
});

describe('fetchIcalFeed', () => {
  it('returns the feed text as served, asking for text/calendar', async () => {
    fake.handle = (_req, res) => res.writeHead(200, { 'content-type': 'text/calendar' }).end(calendar);
    const text = await fetchIcalFeed(
      `${fake.url}/calendar/ical/${SECRET_PATH}/basic.ics?token=${SECRET_TOKEN}`,
      { outbound: LOOPBACK },
    );
    expect(text).toBe(calendar);
    expect(fake.requests[0]!.url.searchParams.get('token')).toBe(SECRET_TOKEN);
    expect(fake.requests[0]!.headers.accept).toMatch(/^text\/calendar/);
  });

  it('rewrites webcal:// and webcals:// to https', async () => {
    expect(icalFeedUrl('webcal://calendar.example.com/a.ics').href).toBe(
      'https://calendar.example.com/a.ics',
    );
    expect(icalFeedUrl(' WEBCALS://calendar.example.com/b.ics').href).toBe(
      'https://calendar.example.com/b.ics',
    );
    // Against a bare TCP listener, a webcal:// fetch opens with a TLS handshake record (0x16): it speaks https.
    const firstBytes: number[] = [];
    const tcp = createTcpServer((socket) =>
      socket.once('data', (d: Buffer) => (firstBytes.push(d[0]!), socket.destroy())),
    );
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = tcp.address() as AddressInfo;
      const err = await fetchIcalFeed(`webcal://127.0.0.1:${port}/feed.ics`, { outbound: LOOPBACK }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ProviderError);
      expect((err as ProviderError).kind).toBe('unreachable');
      expect(firstBytes).toEqual([0x16]);
    } finally {
      tcp.close();
    }
  });

  it.each([
    [404, 'not_found'],
    [410, 'bad_response'],
    [500, 'unreachable'],
    [401, 'unauthorized'],
  ] as const)('answers HTTP %i with %s, never showing the feed URL', async (status, kind) => {
    fake.handle = (req, res) =>
      res
        .writeHead(status, { 'content-type': 'text/plain' })
        .end(`no calendar at ${req.url.pathname}${req.url.search}`);
    const err = await fetchIcalFeed(
      `${fake.url}/calendar/ical/${SECRET_PATH}/basic.ics?token=${SECRET_TOKEN}`,
      { outbound: LOOPBACK },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    const e = err as ProviderError;
    expect([e.kind, e.status]).toEqual([kind, status]);
    expect(e.message).toContain('iCalendar feed');
    expect(e.message).toContain('127.0.0.1');
    expect(e.message).not.toContain(SECRET_PATH);
    expect(e.message).not.toContain(SECRET_TOKEN);
    // The feed's own answer echoes the URL: it is kept apart, with the secrets redacted.
    expect(e.detail).toMatch(/^no \[redacted\] at \[redacted\]/);
    expect(JSON.stringify(e)).not.toContain(SECRET_PATH);
    expect(JSON.stringify(e)).not.toContain(SECRET_TOKEN);
  });

  it('a 200 answer that is not iCalendar (a sign-in page) is bad_response', async () => {
    fake.handle = (_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>Sign in</html>');
    const err = await fetchIcalFeed(`${fake.url}/feed.ics`, { outbound: LOOPBACK }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'bad_response' });
  });

  it.each(['ftp://example.com/feed.ics', 'not a url', 'file:///etc/passwd'])(
    'refuses %s as a validation error',
    async (url) => {
      const err = await fetchIcalFeed(url).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'validation_failed', errors: [{ field: 'config.url' }] });
      expect(fake.requests).toHaveLength(0);
    },
  );
});
