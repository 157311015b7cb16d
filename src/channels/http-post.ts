import { OutboundTooLargeError } from '../ops/shared/outbound/errors.js';
import { guardedFetch } from '../ops/shared/outbound/http-request.js';
import type { OutboundPolicy } from '../ops/shared/outbound/policy.js';

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
    res = await guardedFetch(outbound, {
      url,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Latch', ...headers },
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
