import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { KEY_BYTES } from './key-material.js';

// Secrets at rest: AES-256-GCM under the secret key, in a self-describing text envelope
//   lsb1.<key id>.<nonce>.<ciphertext>.<tag>   (base64url parts)
// The key id (a fingerprint of the key, not the key) tells a wrong key from a damaged value, and lets a key
// rotation find what it has not re-sealed yet. The version, the key id and the caller's context (table, row and
// field) are authenticated with the ciphertext, so a value moved to another row, or edited anywhere, does not open.

const VERSION = 'lsb1';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID_BYTES = 9;
const PART = '[A-Za-z0-9_-]';
const ENVELOPE = new RegExp(`^${VERSION}\\.(${PART}{12})\\.(${PART}{16})\\.(${PART}*)\\.(${PART}{22})$`);

/** The value was sealed under another key: the key Latch was given is not the one it sealed with. */
export class SecretKeyMismatchError extends Error {
  constructor(
    readonly sealedWith: string,
    readonly current: string,
  ) {
    super(
      `the secret key does not match: this secret was sealed under key ${sealedWith}, but the secret key in use is ` +
        `${current} (check LATCH_SECRET_KEY, or secret.key in the data directory)`,
    );
    this.name = 'SecretKeyMismatchError';
  }
}

/** The value is not an envelope, was altered, or belongs to another row or field. */
export class SecretDamagedError extends Error {
  constructor(reason: string) {
    super(`a stored secret does not open: ${reason}`);
    this.name = 'SecretDamagedError';
  }
}

export const isSecretOpenError = (err: unknown): err is SecretKeyMismatchError | SecretDamagedError =>
  err instanceof SecretKeyMismatchError || err instanceof SecretDamagedError;

function assertKey(key: Buffer) {
  if (key.length !== KEY_BYTES) throw new Error(`a secret key is ${KEY_BYTES} bytes`);
}

/** A short public fingerprint of a key; it reveals nothing usable about the key. */
export function secretKeyId(key: Buffer): string {
  assertKey(key);
  return createHmac('sha256', key)
    .update('latch secret key id')
    .digest()
    .subarray(0, KEY_ID_BYTES)
    .toString('base64url');
}

const associated = (keyId: string, context: string) => Buffer.from(`${VERSION}.${keyId}.${context}`, 'utf8');

/** Seals `plaintext` for the place named by `context` (say `notification_channels/chn_1/sealed_secrets`). */
export function seal(key: Buffer, plaintext: string, context: string): string {
  const keyId = secretKeyId(key);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(associated(keyId, context));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, keyId, nonce, body, tag]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

/** The key id a value was sealed under, or null when it is not an envelope. */
export function sealedKeyId(envelope: string): string | null {
  return ENVELOPE.exec(envelope)?.[1] ?? null;
}

/** Opens what `seal` made for the same context; throws SecretKeyMismatchError or SecretDamagedError. */
export function open(key: Buffer, envelope: string, context: string): string {
  const parts = ENVELOPE.exec(envelope);
  if (!parts) throw new SecretDamagedError('it is not a sealed value');
  const [, keyId, nonce, body, tag] = parts as unknown as [string, string, string, string, string];
  // One spelling per value: a part with stray padding bits is not one this module wrote.
  if ([nonce, body, tag].some((p) => Buffer.from(p, 'base64url').toString('base64url') !== p))
    throw new SecretDamagedError('it is not a sealed value');
  const current = secretKeyId(key);
  if (keyId !== current) throw new SecretKeyMismatchError(keyId, current);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64url'), {
    authTagLength: TAG_BYTES,
  });
  decipher.setAAD(associated(keyId, context));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    throw new SecretDamagedError('it was altered, or was copied from another row or field');
  }
}
