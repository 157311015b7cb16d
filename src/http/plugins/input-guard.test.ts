import { describe, expect, it } from 'vitest';
import { findUnsafeInput, MAX_INPUT_DEPTH } from './input-guard.js';

const nested = (levels: number, leaf: unknown = 1): unknown => {
  let v = leaf;
  for (let i = 0; i < levels; i++) v = i % 2 ? { a: v } : [v];
  return v;
};

describe('findUnsafeInput', () => {
  it('passes ordinary input, including paired surrogates (emoji) and nesting up to the limit', () => {
    for (const value of [
      undefined,
      null,
      0,
      true,
      '',
      'plain',
      'emoji \u{1F600} and \uD83D\uDE00',
      { name: 'x', tags: ['a', { b: null }] },
      nested(MAX_INPUT_DEPTH),
    ])
      expect(findUnsafeInput(value)).toBeUndefined();
  });

  it('refuses nesting deeper than the limit without recursing, however deep', () => {
    expect(findUnsafeInput(nested(MAX_INPUT_DEPTH + 1))?.message).toMatch(/deeper than 64 levels/);
    // JSON.parse builds this without recursion; a recursive walk would overflow the stack on it.
    const deep = JSON.parse(`{"name":${'['.repeat(100_000)}${']'.repeat(100_000)}}`) as unknown;
    const found = findUnsafeInput(deep);
    expect(found?.path.slice(0, 3)).toEqual(['name', '0', '0']);
    expect(found?.path).toHaveLength(MAX_INPUT_DEPTH);
  });

  it('refuses NUL and lone surrogates in values and keys, naming where', () => {
    expect(findUnsafeInput({ a: ['ok', 'b\u0000ad'] })).toEqual({
      path: ['a', '1'],
      message: 'must not contain NUL characters',
    });
    for (const lone of ['\uD800', 'x\uDBFFy', '\uDC00', 'end\uD83D']) {
      expect(findUnsafeInput({ name: lone })?.path, JSON.stringify(lone)).toEqual(['name']);
      expect(findUnsafeInput({ name: lone })?.message).toMatch(/lone UTF-16 surrogate/);
    }
    expect(findUnsafeInput({ ok: 1, ['k\uD800']: 1 })?.path).toEqual(['k\uD800']);
    expect(findUnsafeInput({ ok: 1, ['k\uD800']: 1 })?.message).toMatch(/^has a key that/);
  });

  it('reports the first offending value in document order', () => {
    expect(findUnsafeInput({ a: 'ok', b: '\u0000', c: '\uD800' })?.path).toEqual(['b']);
    expect(findUnsafeInput(['ok', ['\uD800'], '\u0000'])?.path).toEqual(['1', '0']);
  });
});
