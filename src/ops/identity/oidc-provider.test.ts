import { describe, expect, it } from 'vitest';
import { parseOutboundAllowlist } from '../shared/outbound/allowlist.js';
import { OutboundRefusedError } from '../shared/outbound/errors.js';
import { guardedProviderFetch, providerPolicy } from './oidc-provider.js';

// Calls to the identity provider go through the guarded outbound client: the configured issuer's host is
// allowed (configuring it is the operator's decision), anything else only as LATCH_OUTBOUND_ALLOW says.

const call = (policy: ReturnType<typeof providerPolicy>, url: string) =>
  guardedProviderFetch(policy)(url, {
    method: 'GET',
    headers: {},
    body: undefined,
    redirect: 'manual',
    signal: AbortSignal.timeout(2000),
  });

describe('calls to the identity provider', () => {
  it("allow the issuer's host on top of the operator's list", () => {
    const policy = providerPolicy(
      { allow: parseOutboundAllowlist('10.0.0.0/8,feeds.internal') },
      new URL('https://Login.Example.com/realms/acme'),
    );
    expect([...policy.allow.hosts].sort()).toEqual(['feeds.internal', 'login.example.com']);
    expect(policy.allow.ranges).toHaveLength(1);
  });

  it('refuse an internal address the issuer does not name', async () => {
    const policy = providerPolicy(undefined, new URL('https://login.example.com'));
    await expect(call(policy, 'http://127.0.0.1:9/.well-known/jwks.json')).rejects.toBeInstanceOf(
      OutboundRefusedError,
    );
    await expect(call(policy, 'http://169.254.169.254/latest/meta-data/')).rejects.toBeInstanceOf(
      OutboundRefusedError,
    );
  });

  it('reach an issuer on this machine when it is the one configured', async () => {
    const policy = providerPolicy(undefined, new URL('http://127.0.0.1:9'));
    // Allowed, so the connection is attempted (and fails: nothing listens on the discard port).
    await expect(
      call(policy, 'http://127.0.0.1:9/.well-known/openid-configuration'),
    ).rejects.not.toBeInstanceOf(OutboundRefusedError);
  });
});
