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

/**
 * Every part of the URL that may be a credential, as written and decoded: the whole URL, user name and password,
 * query and its values, the path and its longer segments. Short parts (`/v1`, `api`) are left: they give nothing
 * away and would blank out ordinary words.
 */
export function urlSecretParts(raw: string): string[] {
  const url = parse(raw);
  const parts = [raw, raw.trim()];
  if (url) {
    parts.push(url.href, url.username, url.password, url.search.slice(1), url.pathname + url.search);
    parts.push(url.pathname);
    for (const value of url.searchParams.values()) parts.push(value);
    for (const segment of url.pathname.split('/')) parts.push(segment, decoded(segment));
  }
  return [...new Set(parts.map((p) => p))].filter((p) => p.length >= 8 && p !== '/');
}

/** The message with every secret text in it replaced; longer texts first, so no part of one is left. */
export function redactTexts(message: string, secrets: string[]): string {
  let out = message;
  for (const s of [...secrets].sort((a, b) => b.length - a.length))
    if (s) out = out.split(s).join('[redacted]');
  return out;
}
