import { describe, expect, it } from 'vitest';
import { accountFor, parseAccountRule, parseRemoteAccount } from './account-rule.js';

describe('account rule', () => {
  it('maps an e-mail by each rule, an override winning', () => {
    const email = 'Ada.Lovelace@example.com';
    expect(accountFor({ type: 'email' }, email)).toBe(email);
    expect(accountFor({ type: 'emailLocalPart' }, email)).toBe('Ada.Lovelace');
    expect(accountFor({ type: 'template', template: '{localPart}_admin' }, email)).toBe('Ada.Lovelace_admin');
    expect(accountFor({ type: 'template', template: 'uid={localPart},dc={domain}' }, email)).toBe(
      'uid=Ada.Lovelace,dc=example.com',
    );
    expect(accountFor({ type: 'email' }, email, 'ada')).toBe('ada');
  });

  it('gives no account without a usable e-mail', () => {
    expect(accountFor({ type: 'email' }, null)).toBeNull();
    expect(accountFor({ type: 'emailLocalPart' }, '@example.com')).toBeNull();
    expect(accountFor({ type: 'email' }, 'ada@')).toBeNull();
    expect(accountFor({ type: 'email' }, null, 'ada')).toBe('ada');
  });

  it('parses rules and refuses what is not one', () => {
    expect(parseAccountRule(undefined)).toEqual({ type: 'email' });
    expect(parseAccountRule({ type: 'template', template: '{localPart}_ro' })).toEqual({
      type: 'template',
      template: '{localPart}_ro',
    });
    const field = (raw: unknown) => {
      try {
        parseAccountRule(raw);
      } catch (err) {
        return (err as { errors?: { field: string }[] }).errors?.[0]?.field;
      }
      return undefined;
    };
    expect(field({ type: 'upn' })).toBe('accountRule.type');
    expect(field({ type: 'template' })).toBe('accountRule.template');
    expect(field({ type: 'template', template: 'fixed' })).toBe('accountRule.template');
    expect(field({ type: 'template', template: '{user}_x' })).toBe('accountRule.template');
    expect(field({ type: 'email', template: '{email}' })).toBe('accountRule.template');
    expect(field({ type: 'email', extra: 1 })).toBe('accountRule.extra');
    expect(field([])).toBe('accountRule');
    expect(() => parseRemoteAccount(' ')).toThrow();
    expect(parseRemoteAccount(' ada ')).toBe('ada');
  });
});
