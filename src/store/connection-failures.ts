// Failures that mean "the database cannot be reached right now" rather than "this query is wrong": a connection
// refused, lost or shut down, the server starting or stopping. They are answered 503 with Retry-After; the
// pools replace the connections by themselves.

const NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
// SQLSTATE: 08xxx connection exception; 57P01..57P03 admin, crash and startup shutdowns; 53300 too many
// connections; 40001/40P01 are not here (they are a transaction's own conflict, for the caller to retry).
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
const MESSAGES = [
  'Connection terminated',
  'connection error and is not queryable',
  'timeout exceeded when trying to connect',
  'Client was closed and is not queryable',
  'terminating connection',
];

export function isConnectionFailure(err: unknown): boolean {
  for (
    let e = err as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0;
    e && depth < 4;
    depth++
  ) {
    const code = typeof e.code === 'string' ? e.code : undefined;
    if (code && (NODE_CODES.has(code) || SQLSTATES.has(code) || code.startsWith('08'))) return true;
    const message = typeof e.message === 'string' ? e.message : '';
    if (MESSAGES.some((m) => message.includes(m))) return true;
    e = e.cause as typeof e;
  }
  return false;
}
