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
