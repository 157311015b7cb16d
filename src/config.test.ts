import { describe, expect, it } from 'vitest';
import { ConfigError, loadServeConfig } from './config.js';

describe('serve configuration', () => {
  it('defaults to 127.0.0.1:8080 and ./latch-data on the embedded store', () => {
    expect(loadServeConfig({}, {})).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      dataDir: './latch-data',
      databaseUrl: undefined,
      bootstrapAdminEmail: 'admin@localhost',
    });
  });

  it('takes environment variables, and options over them', () => {
    const env = {
      LATCH_HOST: '0.0.0.0',
      LATCH_PORT: '9000',
      LATCH_DATA_DIR: '/var/lib/latch',
      DATABASE_URL: 'postgres://db/latch',
    };
    expect(loadServeConfig({}, env)).toMatchObject({
      host: '0.0.0.0',
      port: 9000,
      dataDir: '/var/lib/latch',
      databaseUrl: 'postgres://db/latch',
    });
    expect(loadServeConfig({ port: '9100', databaseUrl: 'postgresql://other/x' }, env)).toMatchObject({
      port: 9100,
      databaseUrl: 'postgresql://other/x',
    });
  });

  it('rejects a bad port or a non-postgres URL', () => {
    expect(() => loadServeConfig({ port: 'eighty' }, {})).toThrow(ConfigError);
    expect(() => loadServeConfig({}, { DATABASE_URL: 'mysql://x' })).toThrow(ConfigError);
  });

  it('reads LATCH_OUTBOUND_ALLOW, allowing nothing internal when it is unset', () => {
    expect(loadServeConfig({}, {}).outboundAllow).toEqual({ hosts: new Set(), ranges: [] });
    const allow = loadServeConfig(
      {},
      { LATCH_OUTBOUND_ALLOW: '127.0.0.1, 10.20.0.0/16,feeds.internal' },
    ).outboundAllow;
    expect([...allow.hosts]).toEqual(['feeds.internal']);
    expect(allow.ranges.map(([a, bits]) => `${a.toString()}/${bits}`)).toEqual([
      '127.0.0.1/32',
      '10.20.0.0/16',
    ]);
  });

  it('refuses to start with an invalid LATCH_OUTBOUND_ALLOW entry, naming it', () => {
    const load = () => loadServeConfig({}, { LATCH_OUTBOUND_ALLOW: '127.0.0.1,http://feeds.internal/' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow("LATCH_OUTBOUND_ALLOW: 'http://feeds.internal/' is not an IP address");
  });
});

describe('single sign-on configuration', () => {
  const base = {
    LATCH_PUBLIC_URL: 'https://latch.example.com',
    LATCH_OIDC_ISSUER: 'https://login.example.com/realms/acme',
    LATCH_OIDC_CLIENT_ID: 'latch',
    LATCH_OIDC_CLIENT_SECRET: 'client-secret',
  };

  it('is off unless an issuer is configured', () => {
    expect(loadServeConfig({}, {}).oidc).toBeUndefined();
  });

  it('reads the issuer and client, with defaults for the rest', () => {
    const oidc = loadServeConfig({}, base).oidc!;
    expect(oidc.issuer.href).toBe('https://login.example.com/realms/acme');
    expect(oidc.redirectUri.href).toBe('https://latch.example.com/api/v1/auth/oidc/callback');
    expect(oidc).toMatchObject({
      clientId: 'latch',
      scopes: ['openid', 'email', 'profile'],
      groupsClaim: null,
      adminGroups: [],
      createUsers: true,
      cliClientId: null,
      providerName: 'login.example.com',
    });
  });

  it('reads groups, roles, user creation and the CLI client, options over the environment', () => {
    const oidc = loadServeConfig(
      { oidcClientId: 'from-option' },
      {
        ...base,
        LATCH_OIDC_SCOPES: 'openid email groups',
        LATCH_OIDC_GROUPS_CLAIM: 'groups',
        LATCH_OIDC_ADMIN_GROUPS: 'latch-admins, sre',
        LATCH_OIDC_AUDITOR_GROUPS: 'audit',
        LATCH_OIDC_CREATE_USERS: 'false',
        LATCH_OIDC_CLI_CLIENT_ID: 'latch-cli',
        LATCH_OIDC_PROVIDER_NAME: 'Acme SSO',
      },
    ).oidc!;
    expect(oidc).toMatchObject({
      clientId: 'from-option',
      scopes: ['openid', 'email', 'groups'],
      groupsClaim: 'groups',
      adminGroups: ['latch-admins', 'sre'],
      auditorGroups: ['audit'],
      createUsers: false,
      cliClientId: 'latch-cli',
      providerName: 'Acme SSO',
    });
  });

  it.each([
    [{ ...base, LATCH_PUBLIC_URL: '' }, /LATCH_PUBLIC_URL/],
    [{ LATCH_OIDC_CLIENT_ID: 'latch' }, /without LATCH_OIDC_ISSUER/],
    [{ ...base, LATCH_OIDC_ISSUER: 'not a url' }, /not a URL/],
    [{ ...base, LATCH_OIDC_ISSUER: 'http://login.example.com' }, /https/],
    [{ ...base, LATCH_OIDC_CLIENT_ID: '' }, /LATCH_OIDC_CLIENT_ID/],
    [{ ...base, LATCH_OIDC_CLIENT_SECRET: '' }, /LATCH_OIDC_CLIENT_SECRET/],
    [{ ...base, LATCH_OIDC_SCOPES: 'email profile' }, /openid/],
    [{ ...base, LATCH_OIDC_ADMIN_GROUPS: 'admins' }, /LATCH_OIDC_GROUPS_CLAIM/],
    [{ ...base, LATCH_OIDC_CREATE_USERS: 'maybe' }, /true or false/],
  ])('stops start-up on a bad configuration (%#)', (env, message) => {
    expect(() => loadServeConfig({}, env)).toThrow(ConfigError);
    expect(() => loadServeConfig({}, env)).toThrow(message);
  });

  it('allows plain http only for a provider on this machine', () => {
    expect(
      loadServeConfig({}, { ...base, LATCH_OIDC_ISSUER: 'http://127.0.0.1:9000' }).oidc?.issuer.host,
    ).toBe('127.0.0.1:9000');
  });
});
