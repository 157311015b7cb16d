import { describe, expect, it } from 'vitest';
import { AppError } from './errors.js';
import {
  assertStreamable,
  channelCarries,
  mergeConfig,
  normalizeEventFilter,
  parseChannelConfig,
  publicConfig,
  secretsSet,
} from './notification-channels.js';

const A = 'a'.repeat(16);
const B = 'b'.repeat(16);

const field = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err instanceof AppError ? err.errors[0]?.field : 'not an AppError';
  }
  return undefined;
};

describe('channel configuration', () => {
  it('accepts each type and keeps only known fields', () => {
    expect(
      parseChannelConfig('email', { host: ' smtp.example.test ', from: 'latch@example.test', extra: 1 }),
    ).toEqual({ host: 'smtp.example.test', port: 587, from: 'latch@example.test' });
    expect(parseChannelConfig('slack', { webhookUrl: 'https://hooks.example.test/T/B/x' })).toEqual({
      webhookUrl: 'https://hooks.example.test/T/B/x',
    });
    expect(parseChannelConfig('webhook', { url: 'http://127.0.0.1:9/x', secrets: [A, B] })).toEqual({
      url: 'http://127.0.0.1:9/x',
      secrets: [A, B],
    });
  });

  it('names the field that is wrong', () => {
    expect(field(() => parseChannelConfig('email', { from: 'a@b' }))).toBe('config.host');
    expect(field(() => parseChannelConfig('email', { host: 'h', from: 'nope' }))).toBe('config.from');
    expect(field(() => parseChannelConfig('email', { host: 'h', from: 'a@b', port: 0 }))).toBe('config.port');
    expect(field(() => parseChannelConfig('email', { host: 'h', from: 'a@b', to: ['x'] }))).toBe('config.to');
    expect(field(() => parseChannelConfig('slack', { webhookUrl: 'ftp://x' }))).toBe('config.webhookUrl');
    expect(field(() => parseChannelConfig('webhook', { url: 'https://x', secrets: [] }))).toBe(
      'config.secrets',
    );
    expect(field(() => parseChannelConfig('webhook', { url: 'https://x', secrets: [A, B, A] }))).toBe(
      'config.secrets',
    );
    expect(field(() => parseChannelConfig('webhook', { url: 'https://x', secrets: ['short'] }))).toBe(
      'config.secrets',
    );
    expect(field(() => assertStreamable('slack', true))).toBe('allEvents');
    expect(field(() => assertStreamable('webhook', true))).toBeUndefined();
  });

  it('never shows secrets, but says which are set', () => {
    const cfg = { url: 'https://x', secrets: ['s'] };
    expect(publicConfig('webhook', cfg)).toEqual({});
    expect(secretsSet('webhook', cfg, false)).toEqual(['url', 'secrets']);
    expect(secretsSet('webhook', {}, true)).toEqual(['url', 'secrets']);
    expect(publicConfig('slack', { webhookUrl: 'https://hooks/secret' })).toEqual({});
    expect(secretsSet('email', { host: 'h' }, false)).toEqual([]);
    expect(secretsSet('email', { host: 'h' }, true)).toEqual(['password']);
  });

  it('merges a change into the stored configuration; a secret left out keeps its value, null removes it', () => {
    const stored = { host: 'h', from: 'a@b', password: 'p' };
    expect(mergeConfig(stored, { host: 'h2' })).toEqual({ host: 'h2', from: 'a@b', password: 'p' });
    expect(mergeConfig(stored, { password: null })).toEqual({ host: 'h', from: 'a@b' });
    expect(mergeConfig(stored, undefined)).toEqual(stored);
  });

  it('filters notices by kind', () => {
    expect(normalizeEventFilter(['*'])).toBeNull();
    expect(normalizeEventFilter(undefined)).toBeNull();
    expect(normalizeEventFilter(['b', 'a', 'a'])).toEqual(['a', 'b']);
    expect(channelCarries({ enabled: true, events: null }, 'grant.expired')).toBe(true);
    expect(channelCarries({ enabled: true, events: ['grant.expired'] }, 'break_glass.activated')).toBe(false);
    expect(channelCarries({ enabled: false, events: null }, 'grant.expired')).toBe(false);
  });
});
