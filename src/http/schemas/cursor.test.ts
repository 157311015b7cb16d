import { describe, expect, it } from 'vitest';
import { AppError } from '../../domain/errors.js';
import { decodeCursor, decodeSeqCursor, encodeCursor } from './common.js';

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e as AppError;
  }
  return undefined;
};

describe('cursors', () => {
  it('decodes the cursors the lists issue', () => {
    const id = 'usr_01a2430b-e6a9-7231-acbe-4dfaa360ea48';
    expect(decodeCursor(encodeCursor(id))).toBe(id);
    expect(decodeCursor(undefined)).toBeUndefined();
    expect(decodeCursor('')).toBeUndefined();
    expect(decodeSeqCursor(encodeCursor(0))).toBe(0);
    expect(decodeSeqCursor(encodeCursor(123_456))).toBe(123_456);
    expect(decodeSeqCursor(undefined)).toBeUndefined();
  });

  it('refuses anything else as validation_failed naming cursor', () => {
    const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
    const idCursors = [
      'AA', // a NUL byte
      b64('usr_\u0000x'),
      b64('x'.repeat(65)),
      b64('has space'),
      b64('ünïcode'),
      Buffer.from([0xff, 0xfe]).toString('base64url'), // not UTF-8
      encodeCursor('abc') + '=', // padded: not the form issued
      'abc$', // not base64url
      'QR', // the same byte as QQ, but not how it is written
    ];
    const seqCursors = [
      b64('100000000000000000000'), // 1e20: beyond any sequence number
      b64('1e20'),
      b64('-1'),
      b64('01'),
      b64('1.5'),
      b64('9007199254740993'),
      'AA',
    ];
    for (const c of idCursors) {
      const err = refusal(() => decodeCursor(c));
      expect(err?.code, c).toBe('validation_failed');
      expect(err?.errors.map((e) => e.field)).toEqual(['cursor']);
    }
    for (const c of seqCursors) expect(refusal(() => decodeSeqCursor(c))?.code, c).toBe('validation_failed');
  });
});
