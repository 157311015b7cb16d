import { randomBytes } from 'node:crypto';
import { MissingKeyFileError, readExistingKeyFile, readOrCreateKeyFile } from './key-files.js';
import { KEY_BYTES, parseKey } from './key-material.js';

// The two keys Latch holds outside its database: the audit key seals the audit log's chain (an HMAC that
// someone with write access to the database cannot recompute), and the secret key encrypts stored secrets.

export interface Keys {
  audit: Buffer;
  secret: Buffer;
}

export interface KeySources {
  /** LATCH_AUDIT_KEY and LATCH_SECRET_KEY: base64 of 32 random bytes. */
  auditKey?: string | undefined;
  secretKey?: string | undefined;
  storeKind: 'embedded' | 'postgres';
  /** The embedded store's data directory; undefined for an in-memory store. */
  dataDir?: string | undefined;
}

export class MissingKeysError extends Error {}

const HOW =
  'make each with `latch keys generate` and set the same values on every Latch process (keep copies apart from database backups)';

/**
 * Keys from the environment win. Without them the embedded store uses (and on first start creates) key files in
 * its data directory; PostgreSQL refuses, because every replica must hold the same keys and no file is shared.
 */
export function loadKeys(src: KeySources): Keys {
  const fromEnv = {
    audit: src.auditKey ? parseKey(src.auditKey, 'LATCH_AUDIT_KEY') : undefined,
    secret: src.secretKey ? parseKey(src.secretKey, 'LATCH_SECRET_KEY') : undefined,
  };
  if (src.storeKind === 'postgres') {
    const missing = [!fromEnv.audit && 'LATCH_AUDIT_KEY', !fromEnv.secret && 'LATCH_SECRET_KEY'].filter(
      Boolean,
    );
    if (missing.length > 0)
      throw new MissingKeysError(`with PostgreSQL, ${missing.join(' and ')} must be set: ${HOW}`);
  }
  const dir = src.dataDir;
  const orFile = (key: Buffer | undefined, name: string) =>
    key ?? (dir ? readOrCreateKeyFile(dir, name) : randomBytes(KEY_BYTES));
  return { audit: orFile(fromEnv.audit, 'audit'), secret: orFile(fromEnv.secret, 'secret') };
}

/**
 * The audit key alone, for tools that read the log (`latch audit verify`): the server's rules, except that a
 * missing key file is an error rather than a new key.
 */
export function loadAuditKey(src: Omit<KeySources, 'secretKey'>): Buffer {
  if (src.auditKey) return parseKey(src.auditKey, 'LATCH_AUDIT_KEY');
  if (src.storeKind === 'postgres' || !src.dataDir)
    throw new MissingKeysError('LATCH_AUDIT_KEY must be set to the audit key the server uses');
  try {
    return readExistingKeyFile(src.dataDir, 'audit');
  } catch (err) {
    if (!(err instanceof MissingKeyFileError)) throw err;
    throw new MissingKeysError(
      `no audit key: ${err.message}; set LATCH_AUDIT_KEY to the key the server uses`,
    );
  }
}
