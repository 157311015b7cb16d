import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { AllowlistError, allowsAddress, allowsHost, parseOutboundAllowlist } from './allowlist.js';

// LATCH_OUTBOUND_ALLOW: addresses, CIDR ranges and host names, comma-separated; anything else stops start-up.

const ip = (s: string) => ipaddr.parse(s);

describe('parseOutboundAllowlist', () => {
  it('is empty when unset or blank', () => {
    for (const text of [undefined, '', ' , ,']) {
      const list = parseOutboundAllowlist(text);
      expect(list.hosts.size).toBe(0);
      expect(list.ranges).toHaveLength(0);
    }
  });

  it('reads addresses, CIDR ranges and host names, trimming blanks', () => {
    const list = parseOutboundAllowlist(' 127.0.0.1, 10.20.0.0/16 ,Feeds.Internal.,[::1],fd00::/8,relay ');
    expect([...list.hosts].sort()).toEqual(['feeds.internal', 'relay']);
    expect(list.ranges.map(([a, bits]) => `${a.toString()}/${bits}`)).toEqual([
      '127.0.0.1/32',
      '10.20.0.0/16',
      '::1/128',
      'fd00::/8',
    ]);
  });

  it('reads an internationalised host name as the ASCII name a URL carries', () => {
    expect([...parseOutboundAllowlist('kalender.bücher.example').hosts]).toEqual([
      'kalender.xn--bcher-kva.example',
    ]);
  });

  it.each([
    'http://feeds.internal',
    'feeds.internal:8080',
    '10.0.0.0/33',
    '10/8',
    '2130706433',
    '0x7f.1',
    '127.1',
    '*.example.com',
    'bad_host!',
    '-leading.example',
    'fd00::/129',
    'a..b',
  ])('refuses %s, naming it', (entry) => {
    const attempt = () => parseOutboundAllowlist(`127.0.0.1,${entry}`);
    expect(attempt).toThrow(AllowlistError);
    expect(attempt).toThrow(`'${entry}'`);
    expect(attempt).toThrow(/LATCH_OUTBOUND_ALLOW/);
  });

  it('names every bad entry at once', () => {
    expect(() => parseOutboundAllowlist('x:1,10.0.0.0/40')).toThrow("'x:1', '10.0.0.0/40' are not");
  });
});

describe('matching', () => {
  const list = parseOutboundAllowlist('127.0.0.1,10.20.0.0/16,fd00:1::/32,feeds.internal');

  it('matches addresses in the listed ranges only', () => {
    expect(allowsAddress(list, ip('127.0.0.1'))).toBe(true);
    expect(allowsAddress(list, ip('127.0.0.2'))).toBe(false);
    expect(allowsAddress(list, ip('10.20.255.1'))).toBe(true);
    expect(allowsAddress(list, ip('10.21.0.1'))).toBe(false);
    expect(allowsAddress(list, ip('fd00:1:ffff::1'))).toBe(true);
    expect(allowsAddress(list, ip('fd00:2::1'))).toBe(false);
  });

  it('matches an IPv4 address carried in IPv6 against IPv4 ranges', () => {
    expect(allowsAddress(list, ip('::ffff:10.20.1.1'))).toBe(true);
    expect(allowsAddress(list, ip('::ffff:127.0.0.1'))).toBe(true);
    expect(allowsAddress(list, ip('::ffff:10.30.1.1'))).toBe(false);
  });

  it('matches host names exactly, whatever their case or trailing dot', () => {
    expect(allowsHost(list, 'feeds.internal')).toBe(true);
    expect(allowsHost(list, 'FEEDS.internal.')).toBe(true);
    expect(allowsHost(list, 'x.feeds.internal')).toBe(false);
    expect(allowsHost(list, 'feeds.internal.example.com')).toBe(false);
  });
});
