import { connect, type Socket } from 'node:net';
import { isAddressLiteral } from './address-policy.js';
import { normalizeHost } from './allowlist.js';
import { guardedLookup } from './guarded-lookup.js';
import { assertAddressAllowed, type OutboundPolicy } from './policy.js';

// A plain TCP connection for protocols that bring their own client (SMTP): connected only to an address the
// policy allows, checked after resolution; TLS, when wanted, is started on it by the client with the host name.

export async function guardedConnect(
  policy: OutboundPolicy,
  rawHost: string,
  port: number,
  timeoutMs: number,
): Promise<Socket> {
  const host = normalizeHost(rawHost);
  if (isAddressLiteral(host)) assertAddressAllowed(policy.allow, host, host);
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, lookup: guardedLookup(policy) });
    const fail = (err: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(err);
    };
    const timer = setTimeout(
      () =>
        fail(
          Object.assign(new Error(`no connection to ${host} within ${timeoutMs} ms`), { code: 'ETIMEDOUT' }),
        ),
      timeoutMs,
    );
    socket.once('error', fail);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeListener('error', fail);
      resolve(socket);
    });
  });
}
