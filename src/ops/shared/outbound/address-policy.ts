import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

// Which network addresses Latch calls on its own: public unicast ones only. Everything a request could use to
// reach the machine itself, its network or its cloud (loopback, private, carrier-grade NAT, link-local,
// unspecified, unique local, multicast, broadcast, reserved and documentation ranges, metadata services) is
// refused unless an operator allowed it (allowlist.ts). An IPv4 address carried inside IPv6 (mapped `::ffff:`,
// compatible `::a.b.c.d`, NAT64 `64:ff9b::`) reaches that IPv4 address, so it is judged as that address.

export type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** Metadata services that hand out cloud credentials: AWS, GCP and Azure; AWS over IPv6; Alibaba. */
const CLOUD_METADATA = new Set(['169.254.169.254', 'fd00:ec2:0:0:0:0:0:254', '100.100.100.200']);

/** IPv6 global unicast (RFC 4291 2000::/3); addresses outside it are not on the public internet. */
const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR('2000::/3');
/** RFC 6052 well-known NAT64 prefix: the last 32 bits are the IPv4 address the gateway connects to. */
const NAT64 = ipaddr.IPv6.parseCIDR('64:ff9b::/96');

const REASONS: Record<string, string> = {
  loopback: 'a loopback address',
  private: 'a private network address',
  carrierGradeNat: 'a carrier-grade NAT address',
  linkLocal: 'a link-local address',
  unspecified: 'an unspecified address',
  uniqueLocal: 'a unique local address',
  multicast: 'a multicast address',
  broadcast: 'the broadcast address',
  reserved: 'a reserved or documentation address',
};

/**
 * An IP address written as a host: dotted, decimal (`2130706433`), hex or octal forms (`0x7f.1`) as the
 * system resolver reads them, or IPv6 with or without brackets. Null for a host name.
 */
export function parseAddress(host: string): Address | null {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return ipaddr.isValid(bare) ? ipaddr.parse(bare) : null;
}

/** True when connecting to `host` involves no name lookup: it is an IP address as Node reads one. */
export const isAddressLiteral = (host: string) => isIP(host) !== 0;

/** The address a connection to `addr` really reaches: an IPv4 address carried in IPv6 becomes that address. */
export function judgedAs(addr: Address): Address {
  if (addr.kind() === 'ipv4') return addr;
  const v6 = addr as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address();
  const [a, b, c, d, e, f, g, h] = v6.parts as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const compatible = a === 0 && b === 0 && c === 0 && d === 0 && e === 0 && f === 0 && (g !== 0 || h > 1);
  if (compatible || v6.match(NAT64)) return new ipaddr.IPv4([g >> 8, g & 0xff, h >> 8, h & 0xff]);
  return v6;
}

/** Why Latch does not call this address unless allowed, in an operator's words; null for a public address. */
export function refusalReason(addr: Address): string | null {
  const ip = judgedAs(addr);
  if (CLOUD_METADATA.has(ip.toNormalizedString())) return 'a cloud metadata address';
  const range = ip.range();
  if (range === 'unicast') {
    if (ip.kind() === 'ipv6' && !ip.match(GLOBAL_UNICAST_V6)) return 'an address outside IPv6 global unicast';
    return null;
  }
  return REASONS[range] ?? `an address of a special-purpose range (${range})`;
}
