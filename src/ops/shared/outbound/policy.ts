import type { LookupAddress } from 'node:dns';
import { parseAddress, refusalReason } from './address-policy.js';
import {
  allowsAddress,
  allowsHost,
  normalizeHost,
  NOTHING_ALLOWED,
  type OutboundAllowlist,
} from './allowlist.js';
import { HOW_TO_ALLOW, OutboundRefusedError } from './errors.js';

// The decision every outbound connection goes through, made on the address actually connected to, and the
// earlier one made when a destination is configured.

/** Resolves a host name to every address it has, as the system resolver does. */
export type Resolve = (host: string) => Promise<LookupAddress[]>;

export interface OutboundPolicy {
  allow: OutboundAllowlist;
  /** The system resolver unless given; tests use this to make a name resolve where they need it to. */
  resolve?: Resolve;
}

/** Public destinations only: what Latch does when nothing else was configured. */
export const PUBLIC_ONLY: OutboundPolicy = { allow: NOTHING_ALLOWED };

/** Why a connection to `address`, reached for `host`, is refused; null when it may go ahead. */
export function addressRefusal(allow: OutboundAllowlist, host: string, address: string): string | null {
  if (allowsHost(allow, host)) return null;
  const addr = parseAddress(address);
  if (!addr) return 'an unreadable address';
  if (allowsAddress(allow, addr)) return null;
  return refusalReason(addr);
}

export function assertAddressAllowed(allow: OutboundAllowlist, host: string, address: string): void {
  const reason = addressRefusal(allow, host, address);
  if (reason) throw new OutboundRefusedError(normalizeHost(host), normalizeHost(address), reason);
}

/** Names that only ever mean this machine or its own network (RFC 6761, RFC 6762, RFC 8375, ICANN .internal). */
const INTERNAL_NAME = /(^|\.)(localhost|local|internal|home\.arpa)$/;

/**
 * Why a destination being configured is plainly not public (an internal IP address in any spelling, or a name
 * reserved for local use), or null. Other names are judged when they are connected to, after resolution.
 */
export function configuredHostProblem(allow: OutboundAllowlist, rawHost: string): string | null {
  const host = normalizeHost(rawHost);
  if (allowsHost(allow, host)) return null;
  const addr = parseAddress(host);
  const reason = addr
    ? allowsAddress(allow, addr)
      ? null
      : refusalReason(addr)
    : INTERNAL_NAME.test(host)
      ? 'a name of the local network'
      : null;
  return reason ? `${host} is ${reason}, not a public destination; ${HOW_TO_ALLOW}` : null;
}
