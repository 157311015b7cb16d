import { describe, expect, it } from 'vitest';
import { signInRefusalOf } from './sign-in-refusal.js';

const now = new Date('2030-01-01T12:00:00Z');
const token = { userId: 'usr_a', revokedAt: null, expiresAt: null };
const user = { id: 'usr_a', status: 'suspended' as const };

describe('signInRefusalOf', () => {
  it('names no user for a token that is not ours', () => {
    expect(signInRefusalOf(undefined, undefined, now)).toEqual({ reason: 'invalid_token', userId: null });
    expect(signInRefusalOf(token, undefined, now)).toEqual({ reason: 'invalid_token', userId: null });
  });

  it('says which check a real token failed, in the order sign-in checks them, and whose it is', () => {
    const revoked = { ...token, revokedAt: '2029-12-31T00:00:00Z', expiresAt: '2029-12-31T00:00:00Z' };
    expect(signInRefusalOf(revoked, user, now)).toEqual({ reason: 'token_revoked', userId: 'usr_a' });
    const expired = { ...token, expiresAt: now.toISOString() };
    expect(signInRefusalOf(expired, user, now)).toEqual({ reason: 'token_expired', userId: 'usr_a' });
    const later = { ...token, expiresAt: '2030-01-01T12:00:01Z' };
    expect(signInRefusalOf(later, user, now)).toEqual({ reason: 'suspended', userId: 'usr_a' });
  });
});
