import * as client from 'openid-client';
import type { OidcRefusalReason } from '../../domain/oidc/sign-in.js';

// What went wrong talking to the provider, in the terms of the audit log, and a description safe to log: the
// error's class and code, never its message's payload (which may quote what the provider sent).

const ID_TOKEN_CODES = new Set([
  'OAUTH_JWT_TIMESTAMP_CHECK_FAILED',
  'OAUTH_JWT_CLAIM_COMPARISON_FAILED',
  'OAUTH_KEY_SELECTION_FAILED',
  'OAUTH_INVALID_RESPONSE',
  'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED',
  'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  'ERR_JWT_EXPIRED',
  'ERR_JWT_CLAIM_VALIDATION_FAILED',
  'ERR_JWKS_NO_MATCHING_KEY',
  'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
  'ERR_JWS_INVALID',
  'ERR_JWT_INVALID',
  'ERR_JOSE_ALG_NOT_ALLOWED',
  'ERR_JOSE_NOT_SUPPORTED',
]);

export function providerFailureReason(err: unknown): OidcRefusalReason {
  if (
    err instanceof client.ResponseBodyError ||
    err instanceof client.AuthorizationResponseError ||
    err instanceof client.WWWAuthenticateChallengeError
  )
    return 'provider_error';
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && ID_TOKEN_CODES.has(code)) return 'invalid_id_token';
  return 'provider_unavailable';
}

export function describeProviderFailure(err: unknown) {
  const e = err as { name?: unknown; code?: unknown; error?: unknown; status?: unknown };
  return {
    name: typeof e.name === 'string' ? e.name : 'Error',
    code: typeof e.code === 'string' ? e.code : undefined,
    // The OAuth error code the provider answered with (invalid_grant, access_denied...), when it did.
    oauthError: typeof e.error === 'string' ? e.error.slice(0, 64) : undefined,
    status: typeof e.status === 'number' ? e.status : undefined,
  };
}
