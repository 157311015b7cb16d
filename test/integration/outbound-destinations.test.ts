import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaptureServer, type CaptureServer } from '../support/capture-server.js';
import { startFeedServer, type FeedServer } from '../support/feed-server.js';
import { ALLOW_LOOPBACK, startHarness, type Harness } from '../support/harness.js';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp-capture.js';

// Where Latch may call, through the API: plainly internal destinations are refused when configured (400
// naming the field) unless allowed with LATCH_OUTBOUND_ALLOW, and a destination allowed once is refused at
// connect time when the allowance is gone: the feed, webhook or mail server then sees nothing.

let h: Harness;
let feed: FeedServer;
let hooks: CaptureServer;
let smtp: SmtpCapture;
let n = 0;
beforeAll(async () => {
  h = await startHarness();
  [feed, hooks, smtp] = await Promise.all([startFeedServer(), startCaptureServer(), startSmtpCapture()]);
});
afterAll(async () => {
  await Promise.all([feed?.close(), hooks?.close(), smtp?.close()]);
  await h?.close();
});

const schedule = (provider: string, config: Record<string, unknown>) =>
  h.request('POST', '/api/v1/on-call-schedules', { body: { name: `dest-${n++}`, provider, config } });
const channel = (type: string, config: Record<string, unknown>) =>
  h.request('POST', '/api/v1/notification-channels', { body: { name: `dest-${n++}`, type, config } });
const SECRETS = ['0123456789abcdef0123'];
const email = (host: string, port = 25) => ({ host, port, from: 'latch@example.test' });

function expectRefused(res: { status: number; body: Record<string, unknown> }, field: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(res.body.code).toBe('validation_failed');
  expect(res.body.errors).toEqual([
    { field, message: expect.stringMatching(/not a public destination.*LATCH_OUTBOUND_ALLOW/) },
  ]);
}

describe('configuring a destination (no allowlist)', () => {
  it.each([
    'http://127.0.0.1:8080/private/s3cret-feed.ics',
    'http://2130706433/s3cret-feed.ics',
    'http://0x7f.1/s3cret-feed.ics',
    'http://[::1]/s3cret-feed.ics',
    'http://[::ffff:127.0.0.1]/s3cret-feed.ics',
    'http://[fd00:ec2::254]/latest/meta-data',
    'http://169.254.169.254/latest/meta-data',
    'webcal://localhost/s3cret-feed.ics',
    'https://10.1.2.3/s3cret-feed.ics',
  ])('refuses the feed %s, naming the field and host but never the URL', async (url) => {
    const res = await schedule('ical', { url });
    expectRefused(res, 'config.url');
    expect(JSON.stringify(res.body)).not.toContain('s3cret');
  });

  it('refuses internal PagerDuty and Opsgenie base URLs, on creation and on change', async () => {
    expectRefused(
      await schedule('pagerduty', { scheduleId: 'P1', apiToken: 'tok', baseUrl: 'http://192.168.0.10' }),
      'config.baseUrl',
    );
    expectRefused(
      await schedule('opsgenie', {
        scheduleId: 'S1',
        apiKey: 'key',
        baseUrl: 'http://metadata.google.internal',
      }),
      'config.baseUrl',
    );
    const ok = await schedule('opsgenie', { scheduleId: 'S1', apiKey: 'key' });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    const patched = await h.request('PATCH', `/api/v1/on-call-schedules/${ok.body.id}`, {
      body: { config: { scheduleId: 'S1', baseUrl: 'http://[fc00::1]:8080' } },
    });
    expectRefused(patched, 'config.baseUrl');
  });

  it('refuses internal webhook, Slack and SMTP destinations, on creation and on change', async () => {
    expectRefused(
      await channel('webhook', { url: 'http://127.0.0.1:9/hook', secrets: SECRETS }),
      'config.url',
    );
    expectRefused(await channel('slack', { webhookUrl: 'http://[::1]/services/T/B/x' }), 'config.webhookUrl');
    for (const host of ['127.0.0.1', 'localhost', '::1', '2130706433', '10.0.0.25'])
      expectRefused(await channel('email', email(host)), 'config.host');
    const ok = await channel('webhook', { url: 'https://hooks.example.com/latch', secrets: SECRETS });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    const patched = await h.request('PATCH', `/api/v1/notification-channels/${ok.body.id}`, {
      body: { config: { url: 'http://172.16.5.5/hook' } },
    });
    expectRefused(patched, 'config.url');
  });
});

describe('an allowance, and its withdrawal', () => {
  it('accepts loopback when allowed, and refuses it at connect time once the allowance is gone', async () => {
    await h.restart({ outboundAllow: ALLOW_LOOPBACK });
    feed.set(200, 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n');
    const cal = await schedule('ical', { url: `${feed.url}/private/s3cret-feed.ics` });
    expect(cal.status, JSON.stringify(cal.body)).toBe(201);
    const hook = await channel('webhook', { url: `${hooks.url}/hook`, secrets: SECRETS });
    const mail = await channel('email', email('127.0.0.1', smtp.port));
    expect([hook.status, mail.status]).toEqual([201, 201]);
    const synced = await h.request('POST', `/api/v1/on-call-schedules/${cal.body.id}/sync`);
    expect(synced.body.syncStatus, JSON.stringify(synced.body)).toBe('ok');
    expect(feed.hits()).toBe(1);

    await h.restart({});
    const refused = await h.request('POST', `/api/v1/on-call-schedules/${cal.body.id}/sync`);
    expect(refused.body.syncStatus).toBe('error');
    expect(refused.body.syncError).toMatch(/refused to connect to 127\.0\.0\.1: a loopback address/);
    expect(refused.body.syncError).toContain('LATCH_OUTBOUND_ALLOW');
    expect(refused.body.syncError).not.toContain('s3cret');
    expect(feed.hits()).toBe(1);

    for (const id of [hook.body.id, mail.body.id]) {
      const tested = await h.request('POST', `/api/v1/notification-channels/${id}/test`);
      expect(tested.body).toEqual({
        delivered: false,
        error: expect.stringMatching(/refused to connect to 127\.0\.0\.1.*LATCH_OUTBOUND_ALLOW/),
      });
    }
    expect(hooks.requests).toEqual([]);
    expect(smtp.connections()).toBe(0);

    // A channel whose destination is no longer allowed can still be renamed or turned off.
    const off = await h.request('PATCH', `/api/v1/notification-channels/${hook.body.id}`, {
      body: { name: `off-${n++}`, enabled: false },
    });
    expect(off.status, JSON.stringify(off.body)).toBe(200);
  });
});
