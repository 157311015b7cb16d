import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

// API tokens are bearer secrets: shown once, stored only as a SHA-256 hash. A token has 256 bits of entropy,
// so an unsalted fast hash is enough; what matters is that the database never holds a usable secret.

export const TOKEN_PREFIX = 'latch_';
export const MIN_BOOTSTRAP_TOKEN_LENGTH = 32;

export const generateTokenSecret = () => `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;

export const hashToken = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('hex');

/** Constant-time comparison of two hex hashes of equal length. */
export function hashesEqual(a: string, b: string): boolean {
  const ba = Buffer.from(a, 'hex');
  const bb = Buffer.from(b, 'hex');
  return ba.length === bb.length && timingSafeEqual(ba, bb);
}

export const isTokenExpired = (expiresAt: string | null, now: Date) =>
  expiresAt !== null && new Date(expiresAt).getTime() <= now.getTime();
