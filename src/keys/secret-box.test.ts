import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  open,
  seal,
  sealedKeyId,
  SecretDamagedError,
  SecretKeyMismatchError,
  secretKeyId,
} from './secret-box.js';

const key = randomBytes(32);
const ctx = 'notification_channels/chn_1/sealed_secrets';
const SECRET = 'https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXX';

/** The envelope with one byte of part `index` (2 nonce, 3 ciphertext, 4 tag) flipped, spelled canonically. */
function flip(envelope: string, index: number): string {
  const parts = envelope.split('.');
  const bytes = Buffer.from(parts[index]!, 'base64url');
  bytes[0] = bytes[0]! ^ 0x01;
  parts[index] = bytes.toString('base64url');
  return parts.join('.');
}

describe('secret box', () => {
  it('opens what it sealed, for the same context, and never shows the plaintext', () => {
    const sealed = seal(key, SECRET, ctx);
    expect(sealed).toMatch(/^lsb1\./);
    expect(sealed).not.toContain('hooks.slack.com');
    expect(sealedKeyId(sealed)).toBe(secretKeyId(key));
    expect(open(key, sealed, ctx)).toBe(SECRET);
    expect(open(key, seal(key, '', ctx), ctx)).toBe('');
    expect(open(key, seal(key, 'päss wörd ✓', ctx), ctx)).toBe('päss wörd ✓');
  });

  it('uses a fresh nonce every time', () => {
    const nonces = new Set(Array.from({ length: 200 }, () => seal(key, SECRET, ctx).split('.')[2]));
    expect(nonces.size).toBe(200);
    expect(seal(key, SECRET, ctx)).not.toBe(seal(key, SECRET, ctx));
  });

  it.each([
    ['nonce', 2],
    ['ciphertext', 3],
    ['tag', 4],
  ])('refuses a value whose %s was altered', (_, index) => {
    const tampered = flip(seal(key, SECRET, ctx), index);
    expect(() => open(key, tampered, ctx)).toThrow(SecretDamagedError);
  });

  it('refuses a value moved to another row or field', () => {
    const sealed = seal(key, SECRET, ctx);
    expect(() => open(key, sealed, 'notification_channels/chn_2/sealed_secrets')).toThrow(SecretDamagedError);
    expect(() => open(key, sealed, 'on_call_schedules/chn_1/sealed_secret')).toThrow(SecretDamagedError);
  });

  it('refuses an edited header or something that is no envelope', () => {
    const sealed = seal(key, SECRET, ctx);
    expect(() => open(key, sealed.replace(/^lsb1/, 'lsb2'), ctx)).toThrow(SecretDamagedError);
    expect(() => open(key, SECRET, ctx)).toThrow(SecretDamagedError);
    expect(() => open(key, `${sealed}x`, ctx)).toThrow(SecretDamagedError);
    expect(sealedKeyId(SECRET)).toBeNull();
  });

  it('names a wrong key as such, by key id, without the value', () => {
    const other = randomBytes(32);
    const sealed = seal(key, SECRET, ctx);
    let caught: unknown;
    try {
      open(other, sealed, ctx);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(SecretKeyMismatchError);
    const message = (caught as Error).message;
    expect(message).toMatch(/^the secret key does not match/);
    expect(message).toContain(secretKeyId(key));
    expect(message).toContain(secretKeyId(other));
    expect(message).not.toContain(SECRET);
    expect(secretKeyId(other)).not.toBe(secretKeyId(key));
  });

  it('refuses a key of the wrong length', () => {
    expect(() => seal(randomBytes(16), SECRET, ctx)).toThrow(/32 bytes/);
  });
});
