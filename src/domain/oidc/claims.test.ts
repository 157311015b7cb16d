import { describe, expect, it } from 'vitest';
import { identityClaims, missingFromIdToken } from './claims.js';
import { roleFromGroups } from './settings.js';

describe('identity claims', () => {
  it('reads the ID token first and fills the rest from userinfo', () => {
    const claims = identityClaims(
      { sub: 's1', email: 'a@example.test' },
      { email: 'other@example.test', email_verified: true, name: 'Ada', groups: ['ops'] },
      'groups',
    );
    expect(claims).toEqual({
      subject: 's1',
      email: 'a@example.test',
      emailVerified: true,
      name: 'Ada',
      groups: ['ops'],
    });
  });

  it('treats only true (or "true") as a verified e-mail', () => {
    expect(
      identityClaims({ sub: 's', email: 'a@x', email_verified: 'yes' }, undefined, null).emailVerified,
    ).toBe(false);
    expect(
      identityClaims({ sub: 's', email: 'a@x', email_verified: 'true' }, undefined, null).emailVerified,
    ).toBe(true);
    expect(identityClaims({ sub: 's', email: 'a@x' }, undefined, null).emailVerified).toBe(false);
  });

  it('reads groups only when a claim is configured, a single string as a list of one', () => {
    expect(identityClaims({ sub: 's', roles: 'admins' }, undefined, 'roles').groups).toEqual(['admins']);
    expect(identityClaims({ sub: 's' }, undefined, 'roles').groups).toEqual([]);
    expect(identityClaims({ sub: 's', groups: ['a'] }, undefined, null).groups).toBeNull();
  });

  it('names the claims userinfo must supply', () => {
    expect(missingFromIdToken({ sub: 's', email: 'a@x', email_verified: true, name: 'A' }, null)).toEqual([]);
    expect(missingFromIdToken({ sub: 's', email: 'a@x', email_verified: true, name: 'A' }, 'groups')).toEqual(
      ['groups'],
    );
  });
});

describe('roles from groups', () => {
  const settings = { adminGroups: ['latch-admins'], auditorGroups: ['auditors'] };
  it('gives the strongest role held, member otherwise', () => {
    expect(roleFromGroups(['auditors', 'latch-admins'], settings)).toBe('admin');
    expect(roleFromGroups(['auditors'], settings)).toBe('auditor');
    expect(roleFromGroups(['LATCH-ADMINS', 'other'], settings)).toBe('member');
    expect(roleFromGroups([], settings)).toBe('member');
  });
});
