import { describe, expect, it } from 'vitest';
import { parseWhen } from './when.js';

describe('parseWhen', () => {
  const now = Date.parse('2030-01-01T00:00:00Z');

  it('reads date-times, dates and times from now', () => {
    expect(parseWhen('2030-06-30T17:00:00+02:00', '--deadline', now)).toBe('2030-06-30T15:00:00.000Z');
    expect(parseWhen('2030-06-30', '--deadline', now)).toBe('2030-06-30T00:00:00.000Z');
    expect(parseWhen('14d', '--deadline', now)).toBe('2030-01-15T00:00:00.000Z');
    expect(parseWhen(' 1d12h ', '--deadline', now)).toBe('2030-01-02T12:00:00.000Z');
  });

  it('names the flag and the forms it takes when it cannot read one', () => {
    for (const bad of ['soon', '2030-13-45', '', '14 days'])
      expect(() => parseWhen(bad, '--shorten', now), bad).toThrow(/^--shorten: cannot read .*14d/);
  });
});
