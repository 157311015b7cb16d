import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sendEmail } from '../../src/ops/notifications/channels/email.js';
import { postJson } from '../../src/ops/notifications/channels/http-post.js';
import { fetchIcalFeed } from '../../src/ops/on-call/providers/ical-feed.js';
import { ProviderError } from '../../src/ops/on-call/providers/provider-error.js';
import { parseOutboundAllowlist } from '../../src/ops/shared/outbound/allowlist.js';
import { OutboundRefusedError } from '../../src/ops/shared/outbound/errors.js';
import { guardedFetch } from '../../src/ops/shared/outbound/http-request.js';
import { PUBLIC_ONLY, type OutboundPolicy } from '../../src/ops/shared/outbound/policy.js';
import { startSmtpCapture } from '../support/smtp-capture.js';

// The guarded outbound client against servers on loopback: refused unless allowed, judged after resolution on
// the address connected to, at every redirect; the same for webhooks and SMTP, where a password never travels
// without TLS.

interface Site {
  url: string;
  hits: string[];
  answer: (path: string) => { status: number; headers?: Record<string, string>; body?: string };
  close(): Promise<void>;
}

async function startSite(host: string): Promise<Site> {
  const site: Site = {
    url: '',
    hits: [],
    answer: () => ({ status: 200, body: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n' }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((req, res) => {
    site.hits.push(req.url ?? '/');
    const a = site.answer(req.url ?? '/');
    res.writeHead(a.status, { 'content-type': 'text/plain', ...a.headers }).end(a.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  site.url = `http://${host}:${(server.address() as AddressInfo).port}`;
  return site;
}

const allow = (text: string, extra: Partial<OutboundPolicy> = {}): OutboundPolicy => ({
  allow: parseOutboundAllowlist(text),
  ...extra,
});
const get = (policy: OutboundPolicy, url: string) =>
  guardedFetch(policy, { url, signal: AbortSignal.timeout(5000), maxRedirects: 3, maxBytes: 1024 * 1024 });
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => {
      expect(e).toBeInstanceOf(OutboundRefusedError);
      return e as OutboundRefusedError;
    },
  );

let a: Site;
let b: Site;
beforeAll(async () => {
  // 127.0.0.2 is loopback too, and a different address to allow or not.
  [a, b] = await Promise.all([startSite('127.0.0.1'), startSite('127.0.0.2')]);
});
afterAll(() => Promise.all([a.close(), b.close()]));
beforeEach(() => {
  a.hits.length = 0;
  b.hits.length = 0;
  a.answer = b.answer = () => ({ status: 200, body: 'ok' });
});

describe('guardedFetch', () => {
  it('refuses a loopback server unless its address is allowed', async () => {
    const e = await refusal(get(PUBLIC_ONLY, `${a.url}/private/feed.ics?token=s3cret`));
    expect(e.message).toMatch(/^refused to connect to 127\.0\.0\.1: a loopback address is not a public/);
    expect(e.message).toContain('LATCH_OUTBOUND_ALLOW');
    expect(e.message).not.toContain('s3cret');
    expect(a.hits).toEqual([]);

    const res = await get(allow('127.0.0.1'), `${a.url}/x`);
    expect([res.status, await res.text()]).toEqual([200, 'ok']);
    expect(a.hits).toEqual(['/x']);
  });

  it('refuses loopback in every spelling a URL may carry', async () => {
    const port = new URL(a.url).port;
    for (const host of [
      '2130706433',
      '0x7f.1',
      '0177.0.0.1',
      '127.1',
      '[::ffff:127.0.0.1]',
      '[::ffff:7f00:1]',
    ])
      await refusal(get(PUBLIC_ONLY, `http://${host}:${port}/`));
    for (const host of ['[::1]', '[fd00:ec2::254]', '169.254.169.254', '0.0.0.0'])
      await refusal(get(PUBLIC_ONLY, `http://${host}:${port}/`));
    expect(a.hits).toEqual([]);
  });

  it('refuses a host name that resolves to loopback, at connect time', async () => {
    const port = new URL(a.url).port;
    const e = await refusal(get(PUBLIC_ONLY, `http://localhost:${port}/`));
    expect(e.message).toMatch(/^refused to connect to localhost \((127\.0\.0\.1|::1)\): a loopback address/);
    // A public-looking name whose answer is internal (DNS rebinding) is judged on that answer.
    const rebound = allow('', { resolve: async () => [{ address: '127.0.0.1', family: 4 }] });
    const r = await refusal(get(rebound, `http://feeds.example.com:${port}/`));
    expect(r.message).toContain('feeds.example.com (127.0.0.1)');
    expect(a.hits).toEqual([]);
  });

  it('connects only to the allowed addresses of a name, and allows a listed name wherever it resolves', async () => {
    const port = new URL(a.url).port;
    // 127.0.0.2 is not allowed and nothing listens there on this port: only 127.0.0.1 may be, and is, used.
    const mixed = allow('127.0.0.1', {
      resolve: async () => [
        { address: '127.0.0.2', family: 4 },
        { address: '127.0.0.1', family: 4 },
      ],
    });
    expect((await get(mixed, `http://feeds.example.com:${port}/mixed`)).status).toBe(200);
    const named = allow('feeds.example.com', { resolve: async () => [{ address: '127.0.0.1', family: 4 }] });
    expect((await get(named, `http://feeds.example.com:${port}/named`)).status).toBe(200);
    expect(a.hits).toEqual(['/mixed', '/named']);
  });

  it('judges every redirect: an allowed server cannot send the client to a refused one', async () => {
    a.answer = () => ({ status: 302, headers: { location: `${b.url}/inside` } });
    const e = await refusal(get(allow('127.0.0.1'), `${a.url}/start`));
    expect(e.message).toContain('refused to connect to 127.0.0.2');
    a.answer = () => ({ status: 307, headers: { location: `http://[::1]:${new URL(b.url).port}/` } });
    expect((await refusal(get(allow('127.0.0.1'), `${a.url}/start`))).message).toContain('::1');
    expect(a.hits).toEqual(['/start', '/start']);
    expect(b.hits).toEqual([]);

    // Allowed both ways, the redirect is followed.
    a.answer = () => ({ status: 302, headers: { location: `${b.url}/inside` } });
    expect((await get(allow('127.0.0.1,127.0.0.2'), `${a.url}/start`)).status).toBe(200);
    expect(b.hits).toEqual(['/inside']);
  });

  it('caps the body it hands over', async () => {
    a.answer = () => ({ status: 200, body: 'x'.repeat(5000) });
    const res = await guardedFetch(allow('127.0.0.1'), {
      url: a.url,
      signal: AbortSignal.timeout(5000),
      maxRedirects: 0,
      maxBytes: 1000,
    });
    await expect(res.text()).rejects.toThrow('larger than 1000 bytes');
  });
});

describe('on-call feeds through the guard', () => {
  it('a feed on loopback fails as refused, naming the host and never the secret URL', async () => {
    const err = await fetchIcalFeed(`${a.url}/calendar/private-0123456789abcdef/basic.ics`).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ kind: 'refused' });
    expect((err as Error).message).toContain('from 127.0.0.1:');
    expect((err as Error).message).toContain('LATCH_OUTBOUND_ALLOW');
    expect((err as Error).message).not.toContain('private-0123456789abcdef');
    expect(a.hits).toEqual([]);
  });
});

describe('webhooks through the guard', () => {
  it('refuses a loopback endpoint unless allowed, and never follows a redirect', async () => {
    await expect(postJson(`${a.url}/hook`, '{}', {}, 5000, PUBLIC_ONLY)).rejects.toThrow(
      OutboundRefusedError,
    );
    expect(a.hits).toEqual([]);
    await postJson(`${a.url}/hook`, '{}', {}, 5000, allow('127.0.0.1'));
    a.answer = () => ({ status: 307, headers: { location: `${b.url}/hook` } });
    await expect(postJson(`${a.url}/moved`, '{}', {}, 5000, allow('127.0.0.1,127.0.0.2'))).rejects.toThrow(
      /redirect \(HTTP 307\) after a POST, not followed/,
    );
    expect(a.hits).toEqual(['/hook', '/moved']);
    expect(b.hits).toEqual([]);
  });
});

describe('SMTP through the guard', () => {
  const message = { subject: 'Test', text: 'Hello' };
  const config = (port: number, extra = {}) => ({
    host: '127.0.0.1',
    port,
    from: 'latch@example.test',
    secure: false,
    ...extra,
  });

  it('refuses a loopback mail server unless allowed; the server sees no connection', async () => {
    const smtp = await startSmtpCapture();
    try {
      const send = (policy: OutboundPolicy, host = '127.0.0.1') =>
        sendEmail(config(smtp.port, { host }), ['ops@example.test'], message, {
          timeoutMs: 5000,
          outbound: policy,
        });
      await expect(send(PUBLIC_ONLY)).rejects.toThrow(
        /refused to connect to 127\.0\.0\.1: a loopback address/,
      );
      await expect(send(PUBLIC_ONLY, 'localhost')).rejects.toThrow(/refused to connect to localhost/);
      await expect(send(PUBLIC_ONLY, '2130706433')).rejects.toThrow(/refused to connect to 2130706433/);
      expect(smtp.connections()).toBe(0);
      await send(allow('127.0.0.1'));
      expect(smtp.mails).toHaveLength(1);
    } finally {
      await smtp.close();
    }
  });

  it('never sends the password to a server that does not offer STARTTLS', async () => {
    const smtp = await startSmtpCapture({ offerAuthWithoutTls: true });
    try {
      const sent = sendEmail(
        config(smtp.port, { username: 'latch', password: 'smtp-password-never-in-clear' }),
        ['ops@example.test'],
        message,
        { timeoutMs: 5000, outbound: allow('127.0.0.1') },
      );
      await expect(sent).rejects.toThrow(/STARTTLS/);
      expect(smtp.connections()).toBe(1);
      expect(smtp.logins).toEqual([]);
      expect(smtp.mails).toEqual([]);
    } finally {
      await smtp.close();
    }
  });
});
