import { isIP } from 'node:net';
import { invalid } from '../../domain/errors.js';

// The configuration of a PostgreSQL connection (docs: api-v1 "Connected systems"): `{host, port, database,
// user, sslmode?, terminateSessions?}` and the secret `{password}`. Checks are pure; messages name the field,
// never the value, since a password may be pasted in the wrong field.

export type PostgresSslMode = 'disable' | 'require' | 'verify-full';

export interface PostgresConfig {
  /** A host name or an IP address (no socket paths: the target is another machine). */
  host: string;
  port: number;
  database: string;
  /** The login role: CREATEROLE (and pg_signal_backend for terminateSessions), never a superuser. */
  user: string;
  /** Default verify-full: the password is never sent to a server whose certificate was not checked. */
  sslmode?: PostgresSslMode;
  /** Default true: a revocation also ends the account's open sessions. */
  terminateSessions?: boolean;
}

export interface PostgresSecrets {
  password: string;
}

export const DEFAULT_SSLMODE: PostgresSslMode = 'verify-full';
export const DEFAULT_TERMINATE_SESSIONS = true;

/** NAMEDATALEN - 1: PostgreSQL silently truncates longer identifiers, which could name another role. */
export const MAX_IDENTIFIER_BYTES = 63;
const MAX_HOST_LENGTH = 253;
const MAX_PASSWORD_LENGTH = 1024;
const SSL_MODES: readonly PostgresSslMode[] = ['disable', 'require', 'verify-full'];
const HOST_LABEL = /^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function only(value: Record<string, unknown>, allowed: readonly string[], prefix: string): void {
  for (const key of Object.keys(value)) {
    if (allowed.includes(key)) continue;
    const hint = key === 'password' ? ' (the password belongs in secrets)' : '';
    throw invalid(`${prefix}.${key}`, `is not a setting of a postgres connection${hint}`);
  }
}

function isHostName(host: string): boolean {
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  return name.length > 0 && name.split('.').every((label) => HOST_LABEL.test(label));
}

function parseHost(raw: unknown): string {
  const field = 'config.host';
  if (typeof raw !== 'string' || raw.trim() === '') throw invalid(field, 'is required');
  if (raw.length > MAX_HOST_LENGTH) throw invalid(field, `must be at most ${MAX_HOST_LENGTH} characters`);
  const host = raw.trim().replace(/^\[(.*)\]$/, '$1');
  if (isIP(host) === 0 && !isHostName(host))
    throw invalid(field, 'must be a host name or an IP address (socket paths are not supported)');
  return host;
}

/** A database or role name as PostgreSQL stores it: exact, so never trimmed. */
function parseName(raw: unknown, field: string): string {
  if (typeof raw !== 'string' || raw === '') throw invalid(field, 'is required');
  if (Buffer.byteLength(raw, 'utf8') > MAX_IDENTIFIER_BYTES)
    throw invalid(field, `must be at most ${MAX_IDENTIFIER_BYTES} bytes`);
  // eslint-disable-next-line no-control-regex -- control characters are what is being refused
  if (/[\x00-\x1f\x7f]/.test(raw)) throw invalid(field, 'must not contain control characters');
  return raw;
}

/** The config as stored (defaults filled in), or a validation error naming the field. */
export function parsePostgresConfig(raw: unknown): Required<PostgresConfig> {
  if (!isObject(raw)) throw invalid('config', 'must be an object');
  only(raw, ['host', 'port', 'database', 'user', 'sslmode', 'terminateSessions'], 'config');
  const { port, sslmode, terminateSessions } = raw;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535)
    throw invalid('config.port', 'must be an integer from 1 to 65535');
  if (sslmode !== undefined && !SSL_MODES.includes(sslmode as PostgresSslMode))
    throw invalid('config.sslmode', `must be one of ${SSL_MODES.join(', ')}`);
  if (terminateSessions !== undefined && typeof terminateSessions !== 'boolean')
    throw invalid('config.terminateSessions', 'must be true or false');
  return {
    host: parseHost(raw.host),
    port,
    database: parseName(raw.database, 'config.database'),
    user: parseName(raw.user, 'config.user'),
    sslmode: (sslmode as PostgresSslMode | undefined) ?? DEFAULT_SSLMODE,
    terminateSessions: terminateSessions ?? DEFAULT_TERMINATE_SESSIONS,
  };
}

/** The secrets as stored, or a validation error naming the field (never showing the password). */
export function parsePostgresSecrets(raw: unknown): PostgresSecrets {
  if (!isObject(raw)) throw invalid('secrets', 'must be an object');
  only(raw, ['password'], 'secrets');
  const { password } = raw;
  if (typeof password !== 'string' || password === '') throw invalid('secrets.password', 'is required');
  if (password.length > MAX_PASSWORD_LENGTH)
    throw invalid('secrets.password', `must be at most ${MAX_PASSWORD_LENGTH} characters`);
  // The protocol sends it as a C string: a NUL would cut it short.
  if (password.includes('\0')) throw invalid('secrets.password', 'must not contain a NUL character');
  return { password };
}
