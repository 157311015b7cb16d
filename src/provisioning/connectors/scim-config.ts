import { invalid } from '../../domain/errors.js';
import { normalizeHost } from '../../ops/shared/outbound/allowlist.js';
import { PUBLIC_ONLY, type OutboundPolicy } from '../../ops/shared/outbound/policy.js';

// The configuration of a SCIM connection (docs: api-v1 "Connected systems"): `{baseUrl}` and the secret
// `{bearerToken}`. Checks are pure (no lookup): the address is judged again at every connect by the outbound
// guard. Messages name the field, never the value, since a URL or a token may be pasted in the wrong field.

export interface ScimConnectorConfig {
  /** The service provider's SCIM root (`https://app.example/scim/v2`), without a trailing slash. */
  baseUrl: string;
  /** Create a user (userName: the account) when a member has none there yet; default false. */
  createUsers?: boolean;
}

export interface ScimSecrets {
  bearerToken: string;
}

const MAX_URL_LENGTH = 2048;
const MAX_TOKEN_LENGTH = 8192;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Plain http only where the traffic never leaves this machine. */
function isLoopback(hostname: string): boolean {
  const host = normalizeHost(hostname);
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function only(value: Record<string, unknown>, allowed: string[], prefix: string): void {
  for (const key of Object.keys(value))
    if (!allowed.includes(key)) throw invalid(`${prefix}.${key}`, 'is not a setting of a scim connection');
}

/** The config as stored, or a validation error naming the field. */
export function parseScimConfig(raw: unknown): ScimConnectorConfig {
  if (!isObject(raw)) throw invalid('config', 'must be an object');
  only(raw, ['baseUrl', 'createUsers'], 'config');
  const createUsers = raw.createUsers ?? false;
  if (typeof createUsers !== 'boolean') throw invalid('config.createUsers', 'must be true or false');
  const field = 'config.baseUrl';
  const text = raw.baseUrl;
  if (typeof text !== 'string' || text.trim() === '') throw invalid(field, 'is required');
  if (text.length > MAX_URL_LENGTH) throw invalid(field, `must be at most ${MAX_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw invalid(field, 'must be an absolute https URL');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname)))
    throw invalid(field, 'must be an https URL (plain http only on this machine: localhost, 127.0.0.1, ::1)');
  // The token goes in a header; credentials in the URL would be sent, logged and shown as configuration.
  if (url.username || url.password) throw invalid(field, 'must not carry a user name or password');
  if (url.search || url.hash) throw invalid(field, 'must not have a query or a fragment');
  if (!url.hostname) throw invalid(field, 'must name a host');
  return { baseUrl: `${url.origin}${url.pathname.replace(/\/+$/, '')}`, createUsers };
}

/** The secrets as stored, or a validation error naming the field (never showing the token). */
export function parseScimSecrets(raw: unknown): ScimSecrets {
  if (!isObject(raw)) throw invalid('secrets', 'must be an object');
  only(raw, ['bearerToken'], 'secrets');
  const token = raw.bearerToken;
  if (typeof token !== 'string' || token.trim() === '') throw invalid('secrets.bearerToken', 'is required');
  if (token.length > MAX_TOKEN_LENGTH)
    throw invalid('secrets.bearerToken', `must be at most ${MAX_TOKEN_LENGTH} characters`);
  // Only visible ASCII: anything else could end the header or be mangled on the way.
  if (!/^[\x21-\x7e]+$/.test(token.trim()))
    throw invalid('secrets.bearerToken', 'must be printable ASCII without spaces');
  return { bearerToken: token.trim() };
}

/**
 * The policy for a connection: the operator's (LATCH_OUTBOUND_ALLOW), plus the configured host, since an admin
 * chose it as they would an allowlist entry. Redirects are never followed, so no other host gets in this way.
 */
export function scimPolicy(base: OutboundPolicy | undefined, config: ScimConnectorConfig): OutboundPolicy {
  const policy = base ?? PUBLIC_ONLY;
  const host = normalizeHost(new URL(config.baseUrl).hostname);
  return { ...policy, allow: { hosts: new Set([...policy.allow.hosts, host]), ranges: policy.allow.ranges } };
}
