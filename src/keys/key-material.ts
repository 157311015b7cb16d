import { randomBytes } from 'node:crypto';

// Keys are 32 random bytes, written as base64 on one line: the same text in an environment variable, a key
// file or the output of `latch keys generate`.

export const KEY_BYTES = 32;

export class KeyFormatError extends Error {}

/** A fresh key in its text form. */
export const generateKeyText = (): string => randomBytes(KEY_BYTES).toString('base64');

/** The key's bytes; `source` names where the text came from, for the message (never the text itself). */
export function parseKey(text: string, source: string): Buffer {
  const trimmed = text.trim();
  const bytes = /^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) ? Buffer.from(trimmed, 'base64') : null;
  if (!bytes || bytes.length !== KEY_BYTES || bytes.toString('base64') !== trimmed)
    throw new KeyFormatError(
      `${source} must be the base64 text of ${KEY_BYTES} random bytes (make one with \`latch keys generate\`)`,
    );
  return bytes;
}
