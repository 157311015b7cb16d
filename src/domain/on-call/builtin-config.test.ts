import { describe, expect, it } from 'vitest';
import { parseInstant, validateBuiltinConfig } from './builtin-config.js';
import type { BuiltinConfig } from './shifts.js';

const valid = (): BuiltinConfig => ({
  timezone: 'Europe/Berlin',
  layers: [{ start: '2030-01-07T09:00:00+01:00', shiftMinutes: 1440, userIds: ['u1', 'u2'] }],
  overrides: [{ userId: 'u1', start: '2030-01-08T00:00:00Z', end: '2030-01-09T00:00:00Z' }],
});
const problems = (mutate: (c: BuiltinConfig) => void, known?: Set<string>) => {
  const c = valid();
  mutate(c);
  return validateBuiltinConfig(c, known);
};
const fields = (mutate: (c: BuiltinConfig) => void) => problems(mutate).map((p) => p.field);

describe('builtin rotation config', () => {
  it('accepts a valid config, with or without known users', () => {
    expect(validateBuiltinConfig(valid())).toEqual([]);
    expect(validateBuiltinConfig(valid(), new Set(['u1', 'u2']))).toEqual([]);
  });

  it('refuses an unknown zone', () => {
    expect(problems((c) => (c.timezone = 'Europe/Atlantis'))).toEqual([
      {
        field: 'timezone',
        message: 'must be an IANA time zone such as Europe/Berlin; got "Europe/Atlantis"',
      },
    ]);
  });

  it('needs layers, at most 50', () => {
    expect(problems((c) => (c.layers = []))).toEqual([
      { field: 'layers', message: 'must hold at least one layer' },
    ]);
    expect(problems((c) => (c.layers = Array.from({ length: 51 }, () => c.layers[0]!)))).toEqual([
      { field: 'layers', message: 'at most 50 layers' },
    ]);
  });

  it('refuses bad dates: no offset, impossible days, not a date, an end before the start', () => {
    expect(fields((c) => (c.layers[0]!.start = '2030-01-07T09:00:00'))).toEqual(['layers.0.start']);
    expect(fields((c) => (c.layers[0]!.start = '2030-02-30T09:00:00Z'))).toEqual(['layers.0.start']);
    expect(fields((c) => (c.layers[0]!.end = 'tomorrow'))).toEqual(['layers.0.end']);
    expect(problems((c) => (c.layers[0]!.end = '2030-01-07T08:00:00Z'))).toEqual([
      { field: 'layers.0.end', message: 'must be after start' },
    ]);
    expect(validateBuiltinConfig({ ...valid(), layers: [{ ...valid().layers[0]!, end: null }] })).toEqual([]);
  });

  it('needs exactly one of shiftMinutes and shiftSeconds, positive, whole and at most 366 days', () => {
    const both = 'needs exactly one of shiftMinutes and shiftSeconds';
    expect(problems((c) => (c.layers[0]!.shiftSeconds = 60))).toEqual([{ field: 'layers.0', message: both }]);
    expect(problems((c) => delete c.layers[0]!.shiftMinutes)).toEqual([{ field: 'layers.0', message: both }]);
    expect(fields((c) => (c.layers[0]!.shiftMinutes = 0))).toEqual(['layers.0.shiftMinutes']);
    expect(fields((c) => (c.layers[0]!.shiftMinutes = 1.5))).toEqual(['layers.0.shiftMinutes']);
    expect(fields((c) => (c.layers[0]!.shiftMinutes = 366 * 1440 + 1))).toEqual(['layers.0.shiftMinutes']);
    expect(fields((c) => (c.layers[0]!.shiftMinutes = 366 * 1440))).toEqual([]);
    expect(
      problems((c) => Object.assign(c.layers[0]!, { shiftMinutes: undefined, shiftSeconds: -1 })),
    ).toEqual([
      {
        field: 'layers.0.shiftSeconds',
        message: 'must be a whole number of seconds from 1 to 31622400 (366 days)',
      },
    ]);
  });

  it('needs participants, at most 500, and known ones when the caller knows them', () => {
    expect(fields((c) => (c.layers[0]!.userIds = []))).toEqual(['layers.0.userIds']);
    expect(fields((c) => (c.layers[0]!.userIds = Array.from({ length: 501 }, (_, i) => `u${i}`)))).toEqual([
      'layers.0.userIds',
    ]);
    expect(problems(() => {}, new Set(['u1']))).toEqual([
      { field: 'layers.0.userIds.1', message: "unknown user 'u2'" },
    ]);
  });

  it('checks overrides: at most 1000, end after start, known user', () => {
    expect(problems((c) => (c.overrides![0]!.end = c.overrides![0]!.start))).toEqual([
      { field: 'overrides.0.end', message: 'must be after start' },
    ]);
    expect(fields((c) => (c.overrides = Array.from({ length: 1001 }, () => c.overrides![0]!)))).toEqual([
      'overrides',
    ]);
    expect(problems((c) => (c.overrides![0]!.userId = 'ghost'), new Set(['u1', 'u2']))).toEqual([
      { field: 'overrides.0.userId', message: "unknown user 'ghost'" },
    ]);
  });

  it('survives values of the wrong type, as JSON may carry', () => {
    const junk = {
      timezone: 3,
      layers: [null, { start: 5, shiftMinutes: '60', userIds: 'u1' }],
      overrides: {},
    };
    expect(validateBuiltinConfig(junk as unknown as BuiltinConfig).map((p) => p.field)).toEqual([
      'timezone',
      'layers.0',
      'layers.1.start',
      'layers.1.shiftMinutes',
      'layers.1.userIds',
      'overrides',
    ]);
  });

  it('parses instants with an offset only', () => {
    expect(parseInstant('2030-01-07T09:00:00+01:00')).toBe(Date.parse('2030-01-07T08:00:00Z'));
    expect(parseInstant('2030-01-07T09:00Z')).toBe(Date.parse('2030-01-07T09:00:00Z'));
    expect(parseInstant('2030-01-07')).toBeNull();
    expect(parseInstant('2030-01-07T24:00:00Z')).toBeNull();
  });
});
