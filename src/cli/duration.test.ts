import { describe, expect, it } from 'vitest';
import { parseDurationMinutes } from './duration.js';

describe('parseDurationMinutes', () => {
  it('reads minutes, hours, days, weeks and combinations', () => {
    expect(parseDurationMinutes('45')).toBe(45);
    expect(parseDurationMinutes('90m')).toBe(90);
    expect(parseDurationMinutes('2h')).toBe(120);
    expect(parseDurationMinutes('1d')).toBe(1440);
    expect(parseDurationMinutes('1w')).toBe(10080);
    expect(parseDurationMinutes(' 1H30m ')).toBe(90);
  });

  it('refuses anything else', () => {
    for (const bad of ['', '0', '0m', '2x', 'h', '2h 30', '-5', '1.5h', 'soon'])
      expect(() => parseDurationMinutes(bad), bad).toThrow(/duration/);
  });
});
