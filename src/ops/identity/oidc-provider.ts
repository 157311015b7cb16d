import * as client from 'openid-client';
import { createRemoteJWKSet, customFetch as joseCustomFetch, jwtVerify, type JWTPayload } from 'jose';
import type { OidcSettings } from '../../domain/oidc/settings.js';
import { normalizeHost } from '../shared/outbound/allowlist.js';
import { guardedFetch } from '../shared/outbound/http-request.js';
import { PUBLIC_ONLY, type OutboundPolicy } from '../shared/outbound/policy.js';

// The identity provider as Latch talks to it: discovery, the token endpoint, userinfo and the signing keys, all
// through openid-client 6 (and jose, its JWT library, for ID tokens the CLI brings), and every call through the
// guarded outbound client. The issuer's host is allowed because configuring it is an operator's decision, like
// LATCH_OUTBOUND_ALLOW; other hosts the provider names (a separate JWKS host, say) must be public as usual.

const TIMEOUT_SECONDS = 10;
const MAX_ANSWER_BYTES = 1024 * 1024;

type FetchBody = client.CustomFetchOptions['body'];

function bodyText(body: FetchBody): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  if (body instanceof ArrayBuffer) return Buffer.from(body).toString('utf8');
  throw new TypeError('a streamed request body is not supported');
}

/** The policy for calls to the provider: the operator's, plus the configured issuer's host. */
export function providerPolicy(base: OutboundPolicy | undefined, issuer: URL): OutboundPolicy {
  const policy = base ?? PUBLIC_ONLY;
  return {
    ...policy,
    allow: {
      hosts: new Set([...policy.allow.hosts, normalizeHost(issuer.hostname)]),
      ranges: policy.allow.ranges,
    },
  };
}

export function guardedProviderFetch(policy: OutboundPolicy): client.CustomFetch {
  return async (url, options) => {
    const method = options.method.toUpperCase();
    if (method !== 'GET' && method !== 'POST') throw new TypeError(`unsupported method ${method}`);
    const body = bodyText(options.body);
    return guardedFetch(policy, {
      url,
      method,
      headers: options.headers,
      ...(body !== undefined ? { body } : {}),
      signal: options.signal ?? AbortSignal.timeout(TIMEOUT_SECONDS * 1000),
      // The protocol's endpoints answer directly; a redirect from one of them is not followed.
      maxRedirects: 0,
      maxBytes: MAX_ANSWER_BYTES,
    });
  };
}

/** Verified claims of an ID token presented to the exchange. */
export type ExchangedIdToken = JWTPayload & { sub: string };

export class IdentityProvider {
  private discovered: Promise<client.Configuration> | undefined;
  private cliKeys: ReturnType<typeof createRemoteJWKSet> | undefined;
  private readonly fetch: client.CustomFetch;

  constructor(
    readonly settings: OidcSettings,
    base: OutboundPolicy | undefined,
  ) {
    this.fetch = guardedProviderFetch(providerPolicy(base, settings.issuer));
  }

  /** Discovery, once; a failed discovery is tried again on the next sign-in rather than remembered. */
  configuration(): Promise<client.Configuration> {
    this.discovered ??= this.discover().catch((err: unknown) => {
      this.discovered = undefined;
      throw err;
    });
    return this.discovered;
  }

  private async discover(): Promise<client.Configuration> {
    const { issuer, clientId, clientSecret } = this.settings;
    const config = await client.discovery(
      issuer,
      clientId,
      undefined,
      client.ClientSecretBasic(clientSecret),
      {
        [client.customFetch]: this.fetch,
        timeout: TIMEOUT_SECONDS,
        // Plain http is accepted by the configuration only for a provider on this machine.
        ...(issuer.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : {}),
      },
    );
    config[client.customFetch] = this.fetch;
    config.timeout = TIMEOUT_SECONDS;
    // ID tokens from the token endpoint are checked against the provider's published keys too, not only
    // trusted for arriving over TLS: a token endpoint answer rewritten on its way is refused.
    client.enableNonRepudiationChecks(config);
    return config;
  }

  /**
   * Checks an ID token issued to the CLI client: signature against the provider's published keys, issuer,
   * audience (and the authorized party when there are several), expiry. `now` is Latch's clock.
   */
  async verifyCliIdToken(idToken: string, now: Date): Promise<ExchangedIdToken> {
    const cliClientId = this.settings.cliClientId;
    if (!cliClientId) throw new Error('no CLI client is configured');
    const metadata = (await this.configuration()).serverMetadata();
    if (!metadata.jwks_uri) throw new Error('the provider publishes no jwks_uri');
    this.cliKeys ??= createRemoteJWKSet(new URL(metadata.jwks_uri), {
      [joseCustomFetch]: (url: string, options: { headers: Headers; signal: AbortSignal }) =>
        this.fetch(url, {
          method: 'GET',
          headers: Object.fromEntries(options.headers.entries()),
          body: undefined,
          redirect: 'manual',
          signal: options.signal,
        }),
    });
    const algorithms = (metadata.id_token_signing_alg_values_supported ?? ['RS256']).filter(
      (alg) => alg !== 'none' && !alg.startsWith('HS'),
    );
    const { payload } = await jwtVerify(idToken, this.cliKeys, {
      issuer: metadata.issuer,
      audience: cliClientId,
      algorithms,
      currentDate: now,
      clockTolerance: 30,
      requiredClaims: ['sub', 'exp', 'iat'],
    });
    if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload.azp !== cliClientId)
      throw new Error('the ID token was issued to another party');
    if (typeof payload.sub !== 'string' || payload.sub.length === 0 || payload.sub.length > 255)
      throw new Error('the ID token has no usable subject');
    return payload as ExchangedIdToken;
  }
}
