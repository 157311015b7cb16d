// Reading a provider's answer without trusting its size, and pulling a short human message out of an error body.

/** The body as UTF-8 text; throws `tooLarge(maxBytes)` as soon as more than `maxBytes` have arrived. */
export async function readCapped(
  res: Response,
  maxBytes: number,
  tooLarge: (maxBytes: number) => Error,
): Promise<string> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw tooLarge(maxBytes);
  }
  if (!res.body) return '';
  // Content-Length may be absent or wrong (chunked, compressed): count what actually arrives.
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const MAX_MESSAGE = 200;

/**
 * The message a provider put in an error body: PagerDuty `{error: {message, errors}}`, Opsgenie `{message}`,
 * or a short plain-text line. Empty when there is none worth showing (an HTML page, say).
 */
export function providerMessage(body: string): string {
  const text = body.trim();
  if (!text) return '';
  let found: string | undefined;
  try {
    const json = JSON.parse(text) as unknown;
    found = messageIn(json);
  } catch {
    if (!text.startsWith('<')) found = text.split('\n', 1)[0];
  }
  if (!found) return '';
  const line = found.replace(/\s+/g, ' ').trim();
  return line.length > MAX_MESSAGE ? `${line.slice(0, MAX_MESSAGE)}…` : line;
}

function messageIn(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const o = json as Record<string, unknown>;
  if (typeof o.error === 'string') return o.error;
  if (typeof o.error === 'object' && o.error !== null) {
    const e = o.error as Record<string, unknown>;
    const errors = Array.isArray(e.errors) ? e.errors.filter((x) => typeof x === 'string') : [];
    if (typeof e.message === 'string') return [e.message, ...errors].join('; ');
  }
  if (typeof o.message === 'string') return o.message;
  return undefined;
}
