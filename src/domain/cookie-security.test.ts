import { describe, expect, it } from 'vitest';
import { cookieSecurity, hostName, isLoopbackHost } from './cookie-security.js';

const at = (requestHost: string, requestIsHttps = false, publicUrl?: string) =>
  cookieSecurity({ requestHost, requestIsHttps, publicUrl: publicUrl ? new URL(publicUrl) : undefined });

describe('the session cookie over each transport', () => {
  it('is Secure on loopback over plain http, which browsers keep', () => {
    for (const host of ['localhost:8080', '127.0.0.1:8080', '[::1]:8080', 'app.localhost'])
      expect(at(host), host).toEqual({ secure: true, dropped: false, warning: null });
  });

  it('is not Secure over plain http at another name without a public URL, and says it travels in clear', () => {
    const s = at('10.1.2.3:8080');
    expect(s).toMatchObject({ secure: false, dropped: false });
    expect(s.warning).toContain('without TLS');
  });

  it('is Secure when Latch serves https itself', () => {
    expect(at('latch.example.com:8443', true)).toEqual({ secure: true, dropped: false, warning: null });
  });

  it('follows an https public URL behind a proxy that reaches Latch over http at the public name', () => {
    expect(at('latch.example.com', false, 'https://latch.example.com')).toEqual({
      secure: true,
      dropped: false,
      warning: null,
    });
  });

  it('warns that the browser drops it when opened over http elsewhere although the public URL is https', () => {
    const s = at('10.1.2.3:8080', false, 'https://latch.example.com/');
    expect(s).toMatchObject({ secure: true, dropped: true });
    expect(s.warning).toContain('open https://latch.example.com instead');
  });

  it('is not Secure with an explicit http public URL, with a warning', () => {
    const s = at('latch.internal', false, 'http://latch.internal');
    expect(s.secure).toBe(false);
    expect(s.warning).toContain('without TLS');
  });
});

describe('host names', () => {
  it('drops ports and brackets', () => {
    expect(hostName('Example.COM:80')).toBe('example.com');
    expect(hostName('[::1]:8080')).toBe('::1');
    expect(hostName('::1')).toBe('::1');
  });
  it('knows loopback only', () => {
    expect(isLoopbackHost('127.255.0.1')).toBe(true);
    expect(isLoopbackHost('128.0.0.1')).toBe(false);
    expect(isLoopbackHost('localhost.example.com')).toBe(false);
  });
});
