import { describe, expect, it } from 'vitest';
import type { User } from '../users.js';
import type { IdentityClaims } from './claims.js';
import { decideSignIn } from './sign-in.js';

const user = (over: Partial<User> = {}): User => ({
  id: 'usr_1',
  email: 'ada@example.test',
  name: 'Ada',
  role: 'member',
  status: 'active',
  createdAt: '2026-01-01T00:00:00.000Z',
  source: 'local',
  externalId: null,
  deprovisionedAt: null,
  ...over,
});
const claims = (over: Partial<IdentityClaims> = {}): IdentityClaims => ({
  subject: 'sub-1',
  email: 'ada@example.test',
  emailVerified: true,
  name: 'Ada',
  groups: null,
  ...over,
});

describe('who a single sign-on is for', () => {
  it('finds a linked user by subject alone, whatever the e-mail says', () => {
    const u = user();
    expect(decideSignIn(claims({ email: null }), { bySubject: u, byEmail: undefined }, false)).toEqual({
      kind: 'sign_in',
      user: u,
      link: false,
    });
  });

  it('links a live user by verified e-mail', () => {
    const u = user();
    expect(
      decideSignIn(claims(), { bySubject: undefined, byEmail: { user: u, oidcSubject: null } }, true),
    ).toEqual({ kind: 'sign_in', user: u, link: true });
  });

  it('never links by an unverified e-mail', () => {
    const found = { bySubject: undefined, byEmail: { user: user(), oidcSubject: null } };
    expect(decideSignIn(claims({ emailVerified: false }), found, true)).toMatchObject({
      kind: 'refuse',
      reason: 'no_verified_email',
    });
  });

  it('does not take over a user linked to another subject', () => {
    const found = { bySubject: undefined, byEmail: { user: user(), oidcSubject: 'sub-2' } };
    expect(decideSignIn(claims(), found, true)).toMatchObject({
      kind: 'refuse',
      reason: 'linked_to_another_subject',
      userId: 'usr_1',
    });
  });

  it('refuses suspended and deprovisioned users', () => {
    const suspended = user({ status: 'suspended' });
    expect(decideSignIn(claims(), { bySubject: suspended, byEmail: undefined }, true)).toMatchObject({
      reason: 'suspended',
    });
    const gone = user({ status: 'suspended', deprovisionedAt: '2026-02-01T00:00:00.000Z' });
    expect(decideSignIn(claims(), { bySubject: gone, byEmail: undefined }, true)).toMatchObject({
      reason: 'deprovisioned',
    });
  });

  it('creates a user only when allowed', () => {
    const none = { bySubject: undefined, byEmail: undefined };
    expect(decideSignIn(claims(), none, true)).toEqual({ kind: 'create' });
    expect(decideSignIn(claims(), none, false)).toMatchObject({
      kind: 'refuse',
      reason: 'creation_disabled',
    });
  });
});
