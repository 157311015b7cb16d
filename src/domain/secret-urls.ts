// URLs that carry a credential: a Slack webhook's path, a webhook's user name, password or query, a calendar
// feed's private token. What of such a URL may be shown, and which of its parts no message may ever carry. Pure.

const parse = (raw: string): URL | null => {
  try {
    return new URL(raw.trim().replace(/^webcals?:\/\//i, 'https://'));
  } catch {
    return null;
  }
};

/** The host (and port), which is all of a secret URL that is shown; null when the text is no URL. */
export const urlHost = (raw: string): string | null => parse(raw)?.host ?? null;

/** The path, without user name, password, query or fragment. */
export const urlPath = (raw: string): string | null => parse(raw)?.pathname ?? null;

const decoded = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** The URL's user name and password as HTTP Basic credentials (base64 of `user:password`); null without them. */
export function basicCredentials(url: URL): string | null {
  if (!url.username && !url.password) return null;
  return Buffer.from(`${decoded(url.username)}:${decoded(url.password)}`).toString('base64');
}

/**
 * Every part of the URL that may be a credential, as written and decoded: the whole URL, user name and password
 * (and their Basic form), query and its values, the path and its longer segments. Short parts (`/v1`, `api`) are left: they give nothing
 * away and would blank out ordinary words.
 */
export function urlSecretParts(raw: string): string[] {
  const url = parse(raw);
  const parts = [raw, raw.trim()];
  if (url) {
    parts.push(url.href, url.username, url.password, url.search.slice(1), url.pathname + url.search);
    parts.push(url.pathname);
    // As a receiver would see them, should it echo its Authorization header.
    const basic = basicCredentials(url);
    if (basic) parts.push(basic);
    for (const value of url.searchParams.values()) parts.push(value);
    for (const segment of url.pathname.split('/')) parts.push(segment, decoded(segment));
  }
  return [...new Set(parts)].filter((p) => p.length >= 8 && p !== '/');
}

/**
 * The message with every secret text in it replaced; longer texts first, so no part of one is left. A message
 * shortened somewhere on its way may end in the first part of a secret: that part goes too.
 */
export function redactTexts(message: string, secrets: string[]): string {
  let out = message;
  const longestFirst = secrets.filter(Boolean).sort((a, b) => b.length - a.length);
  for (const s of longestFirst) out = out.split(s).join('[redacted]');
  for (const s of longestFirst)
    for (let n = s.length - 1; n >= 4; n--)
      if (out.endsWith(s.slice(0, n))) {
        out = `${out.slice(0, out.length - n)}[redacted]`;
        break;
      }
  return out;
}
