import { OutboundTooLargeError } from '../../shared/outbound/errors.js';
import { guardedFetch } from '../../shared/outbound/http-request.js';
import type { OutboundPolicy } from '../../shared/outbound/policy.js';
import { basicCredentials } from '../../../domain/secret-urls.js';

// POSTs a JSON body through the guarded outbound client, with a deadline; a redirect is not followed (the body
// and its signature are for the configured endpoint only); any answer but 2xx is a failure worth retrying.

/** Enough of an answer to say why it failed; the rest is not read. */
const MAX_ANSWER_BYTES = 64 * 1024;

export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
  outbound: OutboundPolicy,
): Promise<void> {
  const signal = AbortSignal.timeout(timeoutMs);
  let res: Response;
  let text: string;
  try {
    const target = new URL(url);
    const auth = basicAuth(target);
    res = await guardedFetch(outbound, {
      url: target,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Latch', ...auth, ...headers },
      body,
      signal,
      maxRedirects: 0,
      maxBytes: MAX_ANSWER_BYTES,
    });
    // Read to the end so the exchange completes; the content is not ours to interpret.
    text = await res.text().catch((err: unknown) => {
      if (err instanceof OutboundTooLargeError) return '';
      throw err;
    });
  } catch (err) {
    if (signal.aborted) throw new Error(`no answer within ${timeoutMs} ms`);
    throw err;
  }
  if (!res.ok) throw new Error(`HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`);
}

/**
 * A user name and password in the URL are the receiver's Basic credentials: they are moved into the header and
 * taken out of the URL, so the URL is never sent or reported with them.
 */
function basicAuth(url: URL): Record<string, string> {
  const credentials = basicCredentials(url);
  url.username = '';
  url.password = '';
  return credentials ? { authorization: `Basic ${credentials}` } : {};
}
