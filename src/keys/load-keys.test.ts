import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KeyFileError } from './key-files.js';
import { generateKeyText } from './key-material.js';
import { loadAuditKey, loadKeys, MissingKeysError } from './load-keys.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'latch-keys-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('loadKeys', () => {
  it('creates private key files in the data directory once, and reads the same keys after', () => {
    const dataDir = tempDir();
    const first = loadKeys({ storeKind: 'embedded', dataDir });
    for (const name of ['audit', 'secret']) {
      const path = join(dataDir, `${name}.key`);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(readFileSync(path, 'utf8').trim()).toHaveLength(44);
    }
    const again = loadKeys({ storeKind: 'embedded', dataDir });
    expect(again.audit.equals(first.audit)).toBe(true);
    expect(again.secret.equals(first.secret)).toBe(true);
    expect(first.audit.equals(first.secret)).toBe(false);
  });

  it('prefers keys from the environment over key files', () => {
    const audit = generateKeyText();
    const keys = loadKeys({ storeKind: 'embedded', dataDir: tempDir(), auditKey: audit });
    expect(keys.audit.toString('base64')).toBe(audit);
  });

  it('refuses a key file other users can read', () => {
    const dataDir = tempDir();
    loadKeys({ storeKind: 'embedded', dataDir });
    chmodSync(join(dataDir, 'audit.key'), 0o644);
    expect(() => loadKeys({ storeKind: 'embedded', dataDir })).toThrow(KeyFileError);
  });

  it('refuses to start on PostgreSQL without both keys, saying how to make them', () => {
    expect(() => loadKeys({ storeKind: 'postgres', auditKey: generateKeyText() })).toThrow(MissingKeysError);
    expect(() => loadKeys({ storeKind: 'postgres' })).toThrow(
      /LATCH_AUDIT_KEY and LATCH_SECRET_KEY.*latch keys generate/,
    );
    const both = { auditKey: generateKeyText(), secretKey: generateKeyText() };
    expect(loadKeys({ storeKind: 'postgres', ...both }).secret.toString('base64')).toBe(both.secretKey);
  });

  it('refuses a malformed key from the environment without echoing it', () => {
    expect(() => loadKeys({ storeKind: 'embedded', auditKey: 'hunter2' })).toThrow(
      /^LATCH_AUDIT_KEY must be/,
    );
    expect(() => loadKeys({ storeKind: 'embedded', auditKey: 'hunter2' })).not.toThrow(/hunter2/);
  });

  it('finds the audit key for tools by the same rules, but never makes one up', () => {
    const dataDir = tempDir();
    expect(() => loadAuditKey({ storeKind: 'embedded', dataDir })).toThrow(
      /no audit key: .*audit\.key does not exist; set LATCH_AUDIT_KEY/,
    );
    expect(existsSync(join(dataDir, 'audit.key'))).toBe(false);
    const { audit } = loadKeys({ storeKind: 'embedded', dataDir });
    expect(loadAuditKey({ storeKind: 'embedded', dataDir }).equals(audit)).toBe(true);
    const fromEnv = generateKeyText();
    expect(loadAuditKey({ storeKind: 'embedded', dataDir, auditKey: fromEnv }).toString('base64')).toBe(
      fromEnv,
    );
    expect(() => loadAuditKey({ storeKind: 'postgres' })).toThrow(MissingKeysError);
  });
});
