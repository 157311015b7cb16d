import { urlSecretParts } from '../../../domain/secret-urls.js';
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
  const secrets = urlSecretParts(target.href);
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
