import { describe, expect, it } from 'vitest';
import { generateKeyText, KeyFormatError, parseKey } from './key-material.js';

describe('key material', () => {
  it('parses what it generates, to 32 bytes', () => {
    const text = generateKeyText();
    expect(parseKey(`${text}\n`, 'test').length).toBe(32);
    expect(generateKeyText()).not.toBe(text);
  });

  it.each(['', 'not base64!', Buffer.alloc(16).toString('base64'), Buffer.alloc(33).toString('base64')])(
    'refuses %j, naming the source but not the text',
    (text) => {
      expect(() => parseKey(text, 'LATCH_AUDIT_KEY')).toThrow(KeyFormatError);
      expect(() => parseKey(text, 'LATCH_AUDIT_KEY')).toThrow(/LATCH_AUDIT_KEY must be/);
    },
  );
});
