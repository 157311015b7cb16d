import { createHmac, timingSafeEqual } from 'node:crypto';

// Webhook signatures: `X-Latch-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, one `v1`
// per configured secret, so a receiver keeps verifying while the secret is rotated (old and new both sign).

export const SIGNATURE_HEADER = 'X-Latch-Signature';
/** Receivers should refuse signatures older than this, so a captured request cannot be replayed later. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

const hmac = (secret: string, t: number, body: string) =>
  createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');

export function signatureHeader(body: string, secrets: readonly string[], unixSeconds: number): string {
  return [`t=${unixSeconds}`, ...secrets.map((s) => `v1=${hmac(s, unixSeconds, body)}`)].join(',');
}

export function parseSignatureHeader(header: string): { t: number; v1: string[] } | undefined {
  let t: number | undefined;
  const v1: string[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && value && /^\d+$/.test(value)) t = Number(value);
    else if (key === 'v1' && value) v1.push(value);
  }
  return t === undefined || v1.length === 0 ? undefined : { t, v1 };
}

/** True when one of the header's signatures is the secret's, and the timestamp is within the tolerance. */
export function verifySignature(
  header: string,
  body: string,
  secret: string,
  nowSeconds: number,
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
): boolean {
  const parsed = parseSignatureHeader(header);
  if (!parsed || Math.abs(nowSeconds - parsed.t) > toleranceSeconds) return false;
  const expected = Buffer.from(hmac(secret, parsed.t, body), 'hex');
  return parsed.v1.some((sig) => {
    const given = Buffer.from(sig, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
