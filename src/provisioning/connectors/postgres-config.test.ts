import { describe, expect, it } from 'vitest';
import { AppError } from '../../domain/errors.js';
import { parsePostgresConfig, parsePostgresSecrets } from './postgres-config.js';

const base = { host: 'db.internal', port: 5432, database: 'app', user: 'latch_provisioner' };

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a validation error');
}

describe('parsePostgresConfig', () => {
  it('accepts a config and fills in the secure defaults', () => {
    expect(parsePostgresConfig(base)).toEqual({ ...base, sslmode: 'verify-full', terminateSessions: true });
    expect(parsePostgresConfig({ ...base, sslmode: 'disable', terminateSessions: false })).toMatchObject({
      sslmode: 'disable',
      terminateSessions: false,
    });
  });

  it('accepts IP addresses and trims the host, but keeps names exact', () => {
    expect(parsePostgresConfig({ ...base, host: ' 10.0.0.7 ' }).host).toBe('10.0.0.7');
    expect(parsePostgresConfig({ ...base, host: '[fd00::1]' }).host).toBe('fd00::1');
    expect(parsePostgresConfig({ ...base, host: 'pg_primary.local.' }).host).toBe('pg_primary.local.');
    expect(parsePostgresConfig({ ...base, user: 'Mixed Case' }).user).toBe('Mixed Case');
  });

  it.each([
    [null, 'config'],
    [[], 'config'],
    [{ ...base, host: '' }, 'config.host'],
    [{ ...base, host: '/var/run/postgresql' }, 'config.host'],
    [{ ...base, host: 'db.internal;x' }, 'config.host'],
    [{ ...base, host: 'a'.repeat(254) }, 'config.host'],
    [{ ...base, port: 0 }, 'config.port'],
    [{ ...base, port: 65536 }, 'config.port'],
    [{ ...base, port: 5432.5 }, 'config.port'],
    [{ ...base, port: '5432' }, 'config.port'],
    [{ ...base, database: '' }, 'config.database'],
    [{ ...base, database: 'd'.repeat(64) }, 'config.database'],
    [{ ...base, user: 'é'.repeat(32) }, 'config.user'], // 64 bytes
    [{ ...base, user: 'a\nb' }, 'config.user'],
    [{ ...base, user: undefined }, 'config.user'],
    [{ ...base, sslmode: 'prefer' }, 'config.sslmode'],
    [{ ...base, terminateSessions: 'yes' }, 'config.terminateSessions'],
    [{ ...base, sslMode: 'disable' }, 'config.sslMode'],
  ])('refuses %j, naming %s', (raw, field) => {
    const err = refusal(() => parsePostgresConfig(raw));
    expect(err.code).toBe('validation_failed');
    expect(err.errors[0]?.field).toBe(field);
  });

  it('points a password put in config to secrets, without repeating it', () => {
    const err = refusal(() => parsePostgresConfig({ ...base, password: 'hunter2-secret' }));
    expect(err.message).toMatch(/secrets/);
    expect(err.message).not.toContain('hunter2');
  });
});

describe('parsePostgresSecrets', () => {
  it('accepts a password as given (spaces are part of it)', () => {
    expect(parsePostgresSecrets({ password: ' pass phrase ' })).toEqual({ password: ' pass phrase ' });
  });

  it.each([
    [{}],
    [{ password: '' }],
    [{ password: 'x'.repeat(1025) }],
    [{ password: 'a\0b' }],
    [{ password: 'p', extra: 1 }],
  ])('refuses %j without showing the value', (raw) => {
    const err = refusal(() => parsePostgresSecrets(raw));
    expect(err.code).toBe('validation_failed');
    expect(err.message).not.toMatch(/x{10}|a\0b/);
  });
});
