import { getText, httpUrl, type FetchOptions } from './http-get.js';
import { ProviderError } from './provider-error.js';

// Fetches an iCalendar feed (Google Calendar, PagerDuty, Opsgenie and Grafana OnCall all publish one). The
// text is returned as is; expanding it into shifts is a pure domain rule. A feed URL often is its own secret
// (a private token in the path or query), so it is treated as one in every message.

/** `webcal://` and `webcals://` are calendar apps' names for https; anything but http(s) is refused. */
export function icalFeedUrl(raw: string): URL {
  const trimmed = raw.trim();
  const rewritten = trimmed.replace(/^webcals?:\/\//i, 'https://');
  return httpUrl(rewritten, 'config.url');
}

export async function fetchIcalFeed(url: string, opts: FetchOptions = {}): Promise<string> {
  const target = icalFeedUrl(url);
  const secrets = feedSecrets(target);
  const text = await getText(
    {
      url: target.href,
      what: 'the iCalendar feed',
      headers: { accept: 'text/calendar, text/plain;q=0.9, */*;q=0.5' },
      secrets,
    },
    opts,
  );
  // A sign-in page or an error page served with 200 must not read as "nobody is on call".
  if (!/^\uFEFF?\s*BEGIN:VCALENDAR/i.test(text))
    throw new ProviderError(
      'bad_response',
      `Could not read the iCalendar feed from ${target.host}: the answer is not an iCalendar document`,
    );
  return text;
}

/** Every part of the URL that may be a credential, so that no message can carry it. */
function feedSecrets(url: URL): string[] {
  const parts = [url.username, url.password, url.search.slice(1), url.pathname];
  for (const value of url.searchParams.values()) parts.push(value);
  for (const segment of url.pathname.split('/')) parts.push(segment, decodeURIComponentSafe(segment));
  return parts.filter((p) => p.length >= 8);
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
