import { promises as dns, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { OutboundRefusedError } from './errors.js';
import { addressRefusal, type OutboundPolicy, type Resolve } from './policy.js';

// Name resolution for outbound sockets: the socket connects only to addresses that passed the policy, and the
// check is made on the very answer the socket uses, so a name that resolves (or is rebound) to an internal
// address between a check and the connect cannot get through.

const systemResolve: Resolve = (host) => dns.lookup(host, { all: true, verbatim: true });

/** The allowed addresses of `host`; refuses when none is allowed. */
export async function resolveAllowed(
  policy: OutboundPolicy,
  host: string,
  family?: number,
): Promise<LookupAddress[]> {
  const found = (await (policy.resolve ?? systemResolve)(host)).filter((a) => !family || a.family === family);
  const refusals = found.map((a) => addressRefusal(policy.allow, host, a.address));
  const allowed = found.filter((_, i) => refusals[i] === null);
  if (allowed.length > 0) return allowed;
  if (found.length === 0) throw Object.assign(new Error(`${host} has no address`), { code: 'ENOTFOUND' });
  throw new OutboundRefusedError(host, found[0]!.address, refusals[0]!);
}

/** A `lookup` for net.connect, http.request and tls.connect that applies the policy to what it resolves. */
export function guardedLookup(policy: OutboundPolicy): LookupFunction {
  return (hostname, options, callback) => {
    const f = options.family;
    const family = f === 'IPv4' ? 4 : f === 'IPv6' ? 6 : f || undefined;
    resolveAllowed(policy, hostname, family).then(
      (addresses) => {
        if (options.all) callback(null, addresses);
        else callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, ''),
    );
  };
}
