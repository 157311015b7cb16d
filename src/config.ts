import { loadOidcSettings, OidcConfigError, type OidcOptions } from './config-oidc.js';
import type { OidcSettings } from './domain/oidc/settings.js';
import { parseKey } from './keys/key-material.js';
import {
  AllowlistError,
  parseOutboundAllowlist,
  type OutboundAllowlist,
} from './ops/shared/outbound/allowlist.js';

// Server configuration: command-line options win over environment variables, which win over defaults.

export interface ServeConfig {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string | undefined;
  bootstrapAdminEmail: string;
  bootstrapAdminToken: string | undefined;
  logLevel: string;
  /** LATCH_AUDIT_KEY and LATCH_SECRET_KEY; the embedded store falls back to key files in its data directory. */
  auditKey: string | undefined;
  secretKey: string | undefined;
  /** Destinations that may be called although they are not public (LATCH_OUTBOUND_ALLOW). */
  outboundAllow: OutboundAllowlist;
  /** LATCH_MAX_INDEX_LAG_MS: how far behind the audit log the access index may be and still answer. */
  maxIndexLagMs: number;
  /** LATCH_PUBLIC_URL: where people open Latch (https behind a proxy); decides the session cookie's Secure. */
  publicUrl: URL | undefined;
  /** --tls-cert/--tls-key (LATCH_TLS_CERT, LATCH_TLS_KEY): PEM files; Latch then serves https itself. */
  tls: { certFile: string; keyFile: string } | undefined;
  /** LATCH_OIDC_*: single sign-on through an OpenID Connect provider; undefined when not configured. */
  oidc: OidcSettings | undefined;
}

/** The default for LATCH_MAX_INDEX_LAG_MS: two polls of the log. */
export const DEFAULT_MAX_INDEX_LAG_MS = 2000;

export interface ServeOptions extends OidcOptions {
  host?: string | undefined;
  port?: string | undefined;
  dataDir?: string | undefined;
  databaseUrl?: string | undefined;
  logLevel?: string | undefined;
  tlsCert?: string | undefined;
  tlsKey?: string | undefined;
  publicUrl?: string | undefined;
}

export class ConfigError extends Error {}

export function loadServeConfig(opts: ServeOptions, env: NodeJS.ProcessEnv): ServeConfig {
  const portText = opts.port ?? env.LATCH_PORT ?? '8080';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError(`invalid port '${portText}'`);
  const databaseUrl = opts.databaseUrl ?? (env.DATABASE_URL || undefined);
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must be a postgres:// URL');
  }
  // Checked here so a malformed key stops start-up before any store is opened.
  if (env.LATCH_AUDIT_KEY) parseKey(env.LATCH_AUDIT_KEY, 'LATCH_AUDIT_KEY');
  if (env.LATCH_SECRET_KEY) parseKey(env.LATCH_SECRET_KEY, 'LATCH_SECRET_KEY');
  const publicUrl = publicUrlOf(opts.publicUrl ?? (env.LATCH_PUBLIC_URL || undefined));
  return {
    host: opts.host ?? env.LATCH_HOST ?? '127.0.0.1',
    port,
    dataDir: opts.dataDir ?? env.LATCH_DATA_DIR ?? './latch-data',
    databaseUrl,
    bootstrapAdminEmail: env.LATCH_BOOTSTRAP_ADMIN_EMAIL || 'admin@localhost',
    bootstrapAdminToken: env.LATCH_BOOTSTRAP_ADMIN_TOKEN || undefined,
    logLevel: opts.logLevel ?? env.LATCH_LOG_LEVEL ?? 'info',
    auditKey: env.LATCH_AUDIT_KEY || undefined,
    secretKey: env.LATCH_SECRET_KEY || undefined,
    outboundAllow: outboundAllowlist(env.LATCH_OUTBOUND_ALLOW),
    maxIndexLagMs: maxIndexLag(env.LATCH_MAX_INDEX_LAG_MS),
    publicUrl,
    tls: tlsFiles(
      opts.tlsCert ?? (env.LATCH_TLS_CERT || undefined),
      opts.tlsKey ?? (env.LATCH_TLS_KEY || undefined),
    ),
    oidc: oidcSettings(opts, env, publicUrl),
  };
}

function oidcSettings(opts: OidcOptions, env: NodeJS.ProcessEnv, publicUrl: URL | undefined) {
  try {
    return loadOidcSettings(opts, env, publicUrl);
  } catch (err) {
    if (err instanceof OidcConfigError) throw new ConfigError(err.message);
    throw err;
  }
}

function publicUrlOf(text: string | undefined): URL | undefined {
  if (text === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`LATCH_PUBLIC_URL '${text}' is not a URL (e.g. https://latch.example.com)`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new ConfigError(`LATCH_PUBLIC_URL must be an http:// or https:// URL, not '${text}'`);
  if (url.username || url.password || url.search || url.hash)
    throw new ConfigError('LATCH_PUBLIC_URL must not carry credentials, a query or a fragment');
  return url;
}

function tlsFiles(certFile: string | undefined, keyFile: string | undefined) {
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined || keyFile === undefined)
    throw new ConfigError(
      'give both --tls-cert and --tls-key (LATCH_TLS_CERT, LATCH_TLS_KEY) to serve https',
    );
  return { certFile, keyFile };
}

function maxIndexLag(text: string | undefined): number {
  if (text === undefined || text === '') return DEFAULT_MAX_INDEX_LAG_MS;
  const ms = Number(text);
  if (!Number.isInteger(ms) || ms < 100 || ms > 600_000)
    throw new ConfigError(
      `LATCH_MAX_INDEX_LAG_MS must be a whole number of milliseconds from 100 to 600000, not '${text}'`,
    );
  return ms;
}

function outboundAllowlist(text: string | undefined): OutboundAllowlist {
  try {
    return parseOutboundAllowlist(text);
  } catch (err) {
    if (err instanceof AllowlistError) throw new ConfigError(err.message);
    throw err;
  }
}
