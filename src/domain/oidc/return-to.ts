// Where a sign-in sends the browser afterwards. Only a path on this origin is followed: anything a browser could
// read as another host (`//evil`, `/\evil`, `https://evil`, their percent-encoded or control-character spellings)
// falls back to `/`, so the sign-in cannot be used as an open redirect.

const MAX_RETURN_TO = 2048;

export function safeReturnTo(raw: unknown): string {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_RETURN_TO) return '/';
  // Browsers drop tabs and newlines from URLs and read a backslash as a slash.
  if ([...raw].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f || c === '\\')) return '/';
  if (!raw.startsWith('/') || raw.startsWith('//')) return '/';
  // A percent-encoded slash or backslash right after the first one is decoded by some proxies and servers.
  if (/^\/(%2f|%5c)/i.test(raw)) return '/';
  let resolved: URL;
  try {
    resolved = new URL(raw, 'http://latch.invalid');
  } catch {
    return '/';
  }
  if (resolved.origin !== 'http://latch.invalid') return '/';
  return `${resolved.pathname}${resolved.search}${resolved.hash}`;
}
