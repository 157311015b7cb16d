import { afterEach, describe, expect, it } from 'vitest';
import { setCookieOf } from '../support/browser-session.js';
import { startHarness, type Harness } from '../support/harness.js';

// The session cookie's Secure flag follows LATCH_PUBLIC_URL or the request's scheme, and the sign-in page can
// ask whether the browser will keep it, instead of signing in "successfully" and looping back to sign-in.

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function signInAt(host: string, options: { publicUrl?: URL } = {}) {
  h = await startHarness(options);
  const member = await h.newUser();
  const transport = await h.request('GET', '/api/v1/session/transport', { token: null, headers: { host } });
  const signIn = await h.request('POST', '/api/v1/session', {
    token: null,
    headers: { host },
    body: { token: member.token },
  });
  expect(signIn.status, JSON.stringify(signIn.body)).toBe(200);
  return { transport: transport.body, cookie: setCookieOf(signIn) };
}

describe('the session cookie', () => {
  it('is Secure on localhost over plain http, where browsers keep it', async () => {
    const { transport, cookie } = await signInAt('localhost:8080');
    expect(cookie).toMatch(/;\s*Secure/i);
    expect(transport).toEqual({ secure: true, dropped: false, warning: null });
  });

  it('is not Secure over plain http at another name (it would be dropped), and the page is told why', async () => {
    const { transport, cookie } = await signInAt('10.1.2.3:8080');
    expect(cookie).not.toMatch(/;\s*Secure/i);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(transport.secure).toBe(false);
    expect(transport.warning).toContain('without TLS');
  });

  it('is Secure under an https LATCH_PUBLIC_URL, also when a proxy forwards plain http', async () => {
    const { transport, cookie } = await signInAt('latch.example.com', {
      publicUrl: new URL('https://latch.example.com'),
    });
    expect(cookie).toMatch(/;\s*Secure/i);
    expect(transport).toEqual({ secure: true, dropped: false, warning: null });
  });

  it('tells the page opened over http at another address that the browser will drop it', async () => {
    const { transport } = await signInAt('10.1.2.3:8080', {
      publicUrl: new URL('https://latch.example.com'),
    });
    expect(transport.dropped).toBe(true);
    expect(transport.warning).toContain('https://latch.example.com');
  });

  it('is cleared with the same attributes it was set with', async () => {
    h = await startHarness();
    const out = await h.request('DELETE', '/api/v1/session', {
      token: null,
      headers: { host: '10.1.2.3:8080', origin: 'http://10.1.2.3:8080' },
    });
    expect(out.status).toBe(204);
    expect(setCookieOf(out)).not.toMatch(/;\s*Secure/i);
  });
});
