import type { ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { validatorCompiler } from './validation.js';

const compile = (schema: object, httpPart: 'body' | 'querystring') =>
  validatorCompiler({ schema, httpPart, method: 'POST', url: '/x' }) as ValidateFunction;

const unbounded = {
  type: 'object',
  properties: { n: { type: 'integer' }, at: { type: 'string', format: 'date-time' } },
};

describe('validatorCompiler', () => {
  it('refuses non-finite numbers even where the schema sets no bound (JSON 1e400 is Infinity)', () => {
    const body = compile(unbounded, 'body');
    expect(body({ n: JSON.parse('1e400') as number })).toBe(false);
    expect(body({ n: -Infinity })).toBe(false);
    expect(body({ n: 42 })).toBe(true);
    const query = compile(unbounded, 'querystring');
    for (const n of ['Infinity', '-Infinity', '1e400', 'NaN']) expect(query({ n }), n).toBe(false);
    expect(query.errors?.[0]?.instancePath).toBe('/n');
    const bounded = compile(
      { type: 'object', properties: { limit: { type: 'integer', maximum: 500 } } },
      'querystring',
    );
    expect(bounded({ limit: 'Infinity' })).toBe(false);
    const data = { n: '7' };
    expect(query(data)).toBe(true);
    expect(data.n).toBe(7);
  });

  it('holds every date-time to the one timestamp rule', () => {
    for (const part of ['body', 'querystring'] as const) {
      const validate = compile(unbounded, part);
      expect(validate({ at: '2026-06-30T23:59:59Z' })).toBe(true);
      for (const at of ['2026-06-30T23:59:60Z', '0000-01-01T00:00:00Z', '1969-12-31T23:59:59Z'])
        expect(validate({ at }), at).toBe(false);
    }
  });
});
