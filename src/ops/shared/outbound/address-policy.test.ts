import { describe, expect, it } from 'vitest';
import { parseAddress, refusalReason } from './address-policy.js';

// Every spelling of an internal address is refused; public unicast addresses, including IPv4 ones reached over
// IPv6, are not.

const judge = (host: string) => {
  const addr = parseAddress(host);
  if (!addr) throw new Error(`${host} did not parse as an address`);
  return refusalReason(addr);
};

describe('refusalReason', () => {
  it.each([
    ['127.0.0.1', 'a loopback address'],
    ['127.8.9.10', 'a loopback address'],
    ['2130706433', 'a loopback address'],
    ['0x7f.1', 'a loopback address'],
    ['0x7f000001', 'a loopback address'],
    ['0177.0.0.1', 'a loopback address'],
    ['127.1', 'a loopback address'],
    ['::1', 'a loopback address'],
    ['[::1]', 'a loopback address'],
    ['::ffff:127.0.0.1', 'a loopback address'],
    ['::ffff:7f00:1', 'a loopback address'],
    ['::7f00:1', 'a loopback address'],
    ['10.1.2.3', 'a private network address'],
    ['172.16.0.1', 'a private network address'],
    ['172.31.255.255', 'a private network address'],
    ['192.168.1.1', 'a private network address'],
    ['::ffff:10.0.0.1', 'a private network address'],
    ['64:ff9b::10.0.0.1', 'a private network address'],
    ['100.64.0.1', 'a carrier-grade NAT address'],
    ['100.127.255.254', 'a carrier-grade NAT address'],
    ['169.254.1.1', 'a link-local address'],
    ['fe80::1', 'a link-local address'],
    ['169.254.169.254', 'a cloud metadata address'],
    ['[fd00:ec2::254]', 'a cloud metadata address'],
    ['::ffff:169.254.169.254', 'a cloud metadata address'],
    ['0.0.0.0', 'an unspecified address'],
    ['0', 'an unspecified address'],
    ['0.1.2.3', 'an unspecified address'],
    ['::', 'an unspecified address'],
    ['fc00::1', 'a unique local address'],
    ['fd12:3456::1', 'a unique local address'],
    ['224.0.0.1', 'a multicast address'],
    ['ff02::1', 'a multicast address'],
    ['255.255.255.255', 'the broadcast address'],
    ['192.0.2.10', 'a reserved or documentation address'],
    ['198.51.100.7', 'a reserved or documentation address'],
    ['203.0.113.9', 'a reserved or documentation address'],
    ['240.0.0.1', 'a reserved or documentation address'],
    ['2001:db8::1', 'a reserved or documentation address'],
    ['1::1', 'an address outside IPv6 global unicast'],
  ])('refuses %s as %s', (host, reason) => {
    expect(judge(host)).toBe(reason);
  });

  it('refuses the special-purpose ranges that embed or tunnel to other networks', () => {
    for (const host of ['2002:7f00:1::1', '2001:0:4136:e378::1', '64:ff9b:1::1'])
      expect(judge(host), host).toMatch(/special-purpose|outside IPv6 global unicast/);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '93.184.215.14',
    '100.128.0.1',
    '172.32.0.1',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2606:4700:4700::1111',
    '2a00:1450:4001:80b::200e',
  ])('allows the public address %s', (host) => {
    expect(judge(host)).toBeNull();
  });
});

describe('parseAddress', () => {
  it('reads no host name as an address', () => {
    for (const host of ['example.com', 'localhost', 'feeds.internal', '999.1.1.1', '08.1.1.1', ''])
      expect(parseAddress(host), host).toBeNull();
  });
});
