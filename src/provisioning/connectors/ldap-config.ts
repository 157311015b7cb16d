import { Filter, FilterParser } from 'ldapts';
import { invalid } from '../../domain/errors.js';

// The configuration of an LDAP connection (docs: api-v1 "Connected systems"): `{url, bindDn, userBaseDn,
// userFilter?, groupBaseDn, startTls?}` and the secret `{bindPassword}`. Checks are pure (no connection).
// Messages name the field, never the value, since a password may be pasted in the wrong field.

export interface LdapConfig {
  /** `ldap://host[:port]` or `ldaps://host[:port]`, nothing else (no DN, no query). */
  url: string;
  bindDn: string;
  userBaseDn: string;
  /** Finds a user by account; `{account}` is replaced by the RFC 4515-escaped account. */
  userFilter: string;
  groupBaseDn: string;
  /** Upgrade an ldap:// connection with StartTLS before binding; refused together with ldaps://. */
  startTls: boolean;
}

export interface LdapSecrets {
  bindPassword: string;
}

export const ACCOUNT_PLACEHOLDER = '{account}';
export const DEFAULT_USER_FILTER = '(mail={account})';
const MAX_URL = 2048;
const MAX_DN = 1024;
const MAX_FILTER = 1024;
const MAX_PASSWORD = 1024;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function only(value: Record<string, unknown>, allowed: string[], prefix: string): void {
  for (const key of Object.keys(value))
    if (!allowed.includes(key)) throw invalid(`${prefix}.${key}`, 'is not a setting of an ldap connection');
}

function text(raw: Record<string, unknown>, key: string, max: number): string {
  const field = `config.${key}`;
  const value = raw[key];
  if (typeof value !== 'string' || value.trim() === '') throw invalid(field, 'is required');
  if (value.length > max) throw invalid(field, `must be at most ${max} characters`);
  if (/\p{Cc}/u.test(value)) throw invalid(field, 'must not contain control characters');
  return value.trim();
}

function dn(raw: Record<string, unknown>, key: string): string {
  const value = text(raw, key, MAX_DN);
  // A loose shape check (`attr=value[,attr=value]…`); the server is the judge of the rest.
  if (!/^[A-Za-z][A-Za-z0-9-]*=[^,]/.test(value) && !/^\d+(\.\d+)+=/.test(value))
    throw invalid(`config.${key}`, 'must be a distinguished name such as ou=people,dc=example,dc=com');
  return value;
}

function ldapUrl(raw: Record<string, unknown>): string {
  const field = 'config.url';
  const value = text(raw, 'url', MAX_URL);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid(field, 'must be an ldap:// or ldaps:// URL');
  }
  if (url.protocol !== 'ldap:' && url.protocol !== 'ldaps:')
    throw invalid(field, 'must be an ldap:// or ldaps:// URL');
  if (!url.hostname) throw invalid(field, 'must name a host');
  if (url.username || url.password) throw invalid(field, 'must not carry a user name or password');
  if ((url.pathname !== '' && url.pathname !== '/') || url.search || url.hash)
    throw invalid(field, 'must be only scheme, host and port (the base DNs are separate settings)');
  return `${url.protocol}//${url.host}`;
}

function userFilter(raw: Record<string, unknown>): string {
  if (raw.userFilter === undefined || raw.userFilter === null) return DEFAULT_USER_FILTER;
  const field = 'config.userFilter';
  const value = text(raw, 'userFilter', MAX_FILTER);
  if (!value.includes(ACCOUNT_PLACEHOLDER)) throw invalid(field, `must contain ${ACCOUNT_PLACEHOLDER}`);
  try {
    FilterParser.parseString(fillFilter(value, 'someone@example.com'));
    FilterParser.parseString(anyUserFilter(value));
  } catch {
    throw invalid(field, 'must be an LDAP filter (RFC 4515) such as (mail={account})');
  }
  return value;
}

/** The config as stored, or a validation error naming the field. */
export function parseLdapConfig(raw: unknown): LdapConfig {
  if (!isObject(raw)) throw invalid('config', 'must be an object');
  only(raw, ['url', 'bindDn', 'userBaseDn', 'userFilter', 'groupBaseDn', 'startTls'], 'config');
  const url = ldapUrl(raw);
  const startTls = raw.startTls ?? false;
  if (typeof startTls !== 'boolean') throw invalid('config.startTls', 'must be true or false');
  if (startTls && url.startsWith('ldaps:'))
    throw invalid('config.startTls', 'is for ldap:// URLs; an ldaps:// connection is encrypted already');
  return {
    url,
    bindDn: dn(raw, 'bindDn'),
    userBaseDn: dn(raw, 'userBaseDn'),
    userFilter: userFilter(raw),
    groupBaseDn: dn(raw, 'groupBaseDn'),
    startTls,
  };
}

/** The secrets as stored, or a validation error naming the field (never showing the password). */
export function parseLdapSecrets(raw: unknown): LdapSecrets {
  if (!isObject(raw)) throw invalid('secrets', 'must be an object');
  only(raw, ['bindPassword'], 'secrets');
  const password = raw.bindPassword;
  // An empty password would be an unauthenticated bind (RFC 4513 5.1.2), which servers accept as anonymous.
  if (typeof password !== 'string' || password === '') throw invalid('secrets.bindPassword', 'is required');
  if (password.length > MAX_PASSWORD)
    throw invalid('secrets.bindPassword', `must be at most ${MAX_PASSWORD} characters`);
  return { bindPassword: password };
}

/** The user filter for one account: the account is escaped (RFC 4515), so it can only ever be a value. */
export function fillFilter(filter: string, account: string): string {
  return filter.replaceAll(ACCOUNT_PLACEHOLDER, Filter.escape(account));
}

/** The user filter with the account left open (`(mail=*)` for the default): "is this entry a user at all". */
export function anyUserFilter(filter: string): string {
  return filter.replaceAll(ACCOUNT_PLACEHOLDER, '*');
}

/**
 * The attribute that holds a user's account, read back when listing members: the one compared with
 * `{account}` first in the user filter (`mail` for the default), or `mail` when the filter has no such term.
 */
export function accountAttribute(filter: string): string {
  const match = /\(([A-Za-z][A-Za-z0-9-]*)=\{account\}\)/.exec(filter);
  return match?.[1] ?? 'mail';
}
