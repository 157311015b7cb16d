import { describe, expect, it } from 'vitest';
import {
  changedSecretFields,
  channelSecretTexts,
  holdsClearSecrets,
  joinChannelConfig,
  splitChannelConfig,
} from './channel-secrets.js';
import { redactTexts, urlHost, urlPath, urlSecretParts } from './secret-urls.js';

const HOOK = 'https://bot:hunter2-pass@hooks.example.com:8443/in/latch?token=tok_0123456789&x=1';
const SLACK = 'https://hooks.slack.com/services/T0001/B0002/abcdefghijklmnopqrstuvwx';

describe('channel secrets', () => {
  it('keeps every secret out of the shown part, showing only where a secret URL points', () => {
    const webhook = splitChannelConfig('webhook', { url: HOOK, secrets: ['s'.repeat(16)] });
    expect(webhook.shown).toEqual({ urlHost: 'hooks.example.com:8443', urlPath: '/in/latch' });
    expect(webhook.secrets).toEqual({ url: HOOK, secrets: ['s'.repeat(16)] });
    const slack = splitChannelConfig('slack', { webhookUrl: SLACK });
    expect(slack.shown).toEqual({ webhookUrlHost: 'hooks.slack.com' });
    expect(JSON.stringify(slack.shown)).not.toContain('abcdefgh');
    const email = splitChannelConfig('email', {
      host: 'smtp.test',
      port: 587,
      username: 'u',
      password: 'pw',
    });
    expect(email).toEqual({
      shown: { host: 'smtp.test', port: 587, username: 'u' },
      secrets: { password: 'pw' },
    });
    expect(splitChannelConfig('email', { host: 'smtp.test', port: 25 }).secrets).toBeNull();
  });

  it('joins the parts back into the configuration a sender needs, display fields dropped', () => {
    const config = { url: HOOK, secrets: ['s'.repeat(16)] };
    const { shown, secrets } = splitChannelConfig('webhook', config);
    expect(joinChannelConfig('webhook', shown, secrets)).toEqual(config);
    expect(joinChannelConfig('email', { host: 'h' }, null)).toEqual({ host: 'h' });
  });

  it('tells a configuration stored in clear, and which secrets changed', () => {
    expect(holdsClearSecrets('webhook', { url: HOOK })).toBe(true);
    expect(holdsClearSecrets('webhook', { urlHost: 'x' })).toBe(false);
    expect(holdsClearSecrets('email', { host: 'h' })).toBe(false);
    expect(
      changedSecretFields('webhook', { url: HOOK, secrets: ['a'] }, { url: HOOK, secrets: ['b'] }),
    ).toEqual(['secrets']);
    expect(changedSecretFields('email', null, { password: 'p' })).toEqual(['password']);
  });

  it('lists every text that gives a secret away', () => {
    const texts = channelSecretTexts({ url: HOOK, secrets: ['whsec_0123456789abcdef'] });
    for (const t of [HOOK, 'hunter2-pass', 'tok_0123456789', 'whsec_0123456789abcdef'])
      expect(texts).toContain(t);
    expect(texts).not.toContain('hooks.example.com:8443');
    expect(channelSecretTexts(null)).toEqual([]);
  });
});

describe('secret URLs', () => {
  it('shows host and path only', () => {
    expect(urlHost(HOOK)).toBe('hooks.example.com:8443');
    expect(urlPath(HOOK)).toBe('/in/latch');
    expect(urlHost('webcal://cal.example.com/private/abc.ics')).toBe('cal.example.com');
    expect(urlHost('not a url')).toBeNull();
  });

  it('redacts every credential-bearing part of a URL from a message', () => {
    const message = `POST to ${HOOK} failed; token tok_0123456789 refused for bot:hunter2-pass; path ${
      new URL(SLACK).pathname
    }`;
    const out = redactTexts(message, [...urlSecretParts(HOOK), ...urlSecretParts(SLACK)]);
    for (const s of ['hunter2-pass', 'tok_0123456789', 'abcdefghijklmnop', 'token='])
      expect(out).not.toContain(s);
    expect(out).toContain('failed');
    expect(redactTexts('HTTP 400: no such hook tok_01234', ['tok_0123456789'])).toBe(
      'HTTP 400: no such hook [redacted]',
    );
  });
});
