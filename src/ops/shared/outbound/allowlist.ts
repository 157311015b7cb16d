import { domainToASCII } from 'node:url';
import ipaddr from 'ipaddr.js';
import { judgedAs, type Address } from './address-policy.js';

// The destinations an operator allows although they are not public (LATCH_OUTBOUND_ALLOW): a calendar on the
// intranet, a mail relay on the private network. A host name is allowed whatever it resolves to; an address or
// a CIDR range allows those addresses, whichever name led to them.

export interface OutboundAllowlist {
  /** Host names in lower-case ASCII, without a trailing dot. */
  readonly hosts: ReadonlySet<string>;
  readonly ranges: readonly (readonly [Address, number])[];
}

export const NOTHING_ALLOWED: OutboundAllowlist = { hosts: new Set(), ranges: [] };

export class AllowlistError extends Error {}

const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;

/** A host name as compared: lower-case ASCII, no brackets, no trailing dot. */
export function normalizeHost(host: string): string {
  const bare = host.trim().replace(/^\[(.*)\]$/, '$1');
  return bare.toLowerCase().replace(/\.$/, '');
}

function hostName(entry: string): string | null {
  const ascii = domainToASCII(normalizeHost(entry));
  if (!ascii || ascii.length > 253) return null;
  const labels = ascii.split('.');
  if (!labels.every((l) => LABEL.test(l))) return null;
  // A last label of digits (or 0x...) is how resolvers spell an IPv4 address, never a name.
  return /^(\d+|0x[0-9a-f]*)$/.test(labels[labels.length - 1]!) ? null : ascii;
}

function range(entry: string): readonly [Address, number] | null {
  const bare = entry.replace(/^\[(.*)\]$/, '$1');
  if (entry.includes('/')) {
    // Only the usual spellings: `10/8` or `0x0a.0.0.0/8` are more likely typing errors than intent.
    if (ipaddr.IPv4.isValidCIDRFourPartDecimal(entry)) return ipaddr.IPv4.parseCIDR(entry);
    if (ipaddr.IPv6.isValidCIDR(entry)) return ipaddr.IPv6.parseCIDR(entry);
    return null;
  }
  if (ipaddr.IPv4.isValidFourPartDecimal(bare)) return [ipaddr.IPv4.parse(bare), 32];
  if (ipaddr.IPv6.isValid(bare)) return [ipaddr.IPv6.parse(bare), 128];
  return null;
}

/**
 * Parses the comma-separated list (`127.0.0.1,10.20.0.0/16,feeds.internal`). Throws an AllowlistError naming
 * every entry that is neither an IP address, a CIDR range nor a host name.
 */
export function parseOutboundAllowlist(text: string | undefined): OutboundAllowlist {
  const hosts = new Set<string>();
  const ranges: (readonly [Address, number])[] = [];
  const bad: string[] = [];
  for (const raw of (text ?? '').split(',')) {
    const entry = raw.trim();
    if (!entry) continue;
    const r = range(entry);
    const name = r ? null : hostName(entry);
    if (r) ranges.push(r);
    else if (name) hosts.add(name);
    else bad.push(`'${entry}'`);
  }
  if (bad.length)
    throw new AllowlistError(
      `LATCH_OUTBOUND_ALLOW: ${bad.join(', ')} ${bad.length === 1 ? 'is' : 'are'} not an IP address, ` +
        'a CIDR range (10.20.0.0/16) or a host name; separate entries with commas',
    );
  return { hosts, ranges };
}

export const allowsHost = (list: OutboundAllowlist, host: string) => list.hosts.has(normalizeHost(host));

/** True when the address, or the IPv4 address it carries, lies in an allowed range. */
export function allowsAddress(list: OutboundAllowlist, addr: Address): boolean {
  const forms = [addr, judgedAs(addr)];
  return list.ranges.some(([net, bits]) => forms.some((a) => a.kind() === net.kind() && a.match(net, bits)));
}
