import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseSignatureHeader, signatureHeader, verifySignature } from './webhook-signature.js';

const body = JSON.stringify({ id: 'evt_1', type: 'grant.created' });
const t = 1_900_000_000;

describe('webhook signatures', () => {
  it('signs "<t>.<body>" with HMAC-SHA256, one v1 per secret', () => {
    const header = signatureHeader(body, ['old-secret', 'new-secret'], t);
    const expected = (s: string) => createHmac('sha256', s).update(`${t}.${body}`).digest('hex');
    expect(header).toBe(`t=${t},v1=${expected('old-secret')},v1=${expected('new-secret')}`);
    expect(parseSignatureHeader(header)).toEqual({ t, v1: [expected('old-secret'), expected('new-secret')] });
  });

  it('verifies with either secret during a rotation, and with no other', () => {
    const header = signatureHeader(body, ['old-secret', 'new-secret'], t);
    expect(verifySignature(header, body, 'old-secret', t)).toBe(true);
    expect(verifySignature(header, body, 'new-secret', t + 10)).toBe(true);
    expect(verifySignature(header, body, 'other', t)).toBe(false);
  });

  it('refuses a changed body, a stale timestamp and malformed headers', () => {
    const header = signatureHeader(body, ['s'], t);
    expect(verifySignature(header, `${body} `, 's', t)).toBe(false);
    expect(verifySignature(header, body, 's', t + 301)).toBe(false);
    expect(verifySignature('v1=abc', body, 's', t)).toBe(false);
    expect(verifySignature(`t=${t},v1=zz`, body, 's', t)).toBe(false);
    expect(verifySignature('', body, 's', t)).toBe(false);
  });
});
