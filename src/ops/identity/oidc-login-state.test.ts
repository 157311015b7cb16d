import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  LOGIN_STATE_TTL_MS,
  newLoginState,
  openLoginState,
  sealLoginState,
  SpentLoginStates,
} from './oidc-login-state.js';

const keys = () => ({ audit: randomBytes(32), secret: randomBytes(32) });
const at = new Date('2026-12-05T10:00:00Z');

describe('the sealed login state', () => {
  it('opens to what was sealed, and shows none of it', () => {
    const k = keys();
    const state = newLoginState('/catalog', at);
    const cookie = sealLoginState(k, state);
    for (const part of [state.state, state.nonce, state.codeVerifier, 'catalog'])
      expect(cookie).not.toContain(part);
    expect(openLoginState(k, cookie, at)).toEqual(state);
  });

  it('is refused when altered, sealed under another key, expired, or missing', () => {
    const k = keys();
    const cookie = sealLoginState(k, newLoginState('/', at));
    // One character of the tag changed (the last one carries padding bits, so the one before it).
    const at2 = cookie.length - 2;
    const flipped = cookie.slice(0, at2) + (cookie[at2] === 'A' ? 'B' : 'A') + cookie.slice(at2 + 1);
    expect(flipped).not.toBe(cookie);
    expect(openLoginState(k, flipped, at)).toBeUndefined();
    expect(openLoginState(keys(), cookie, at)).toBeUndefined();
    expect(openLoginState(k, cookie, new Date(at.getTime() + LOGIN_STATE_TTL_MS))).toBeUndefined();
    expect(openLoginState(k, undefined, at)).toBeUndefined();
    expect(openLoginState(k, 'x'.repeat(5000), at)).toBeUndefined();
  });

  it('is spent by its first use', () => {
    const spent = new SpentLoginStates();
    const state = newLoginState('/', at);
    expect(spent.spend(state, at)).toBe(true);
    expect(spent.spend(state, at)).toBe(false);
    expect(spent.spend(newLoginState('/', at), at)).toBe(true);
  });
});
