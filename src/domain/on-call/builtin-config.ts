import type { FieldError } from '../errors.js';
import { timestampMs } from '../timestamps.js';
import type { BuiltinConfig } from './shifts.js';
import { isIanaZone } from './zone-time.js';

// The rules a builtin rotation's config must meet before any shift is computed from it. Field paths are
// relative to the config (`layers.0.start`), in the caller's order. Configs arrive as JSON, so every value is
// checked for its type too.

export const MAX_LAYERS = 50;
export const MAX_OVERRIDES = 1000;
export const MAX_PARTICIPANTS = 500;
export const MAX_SHIFT_SECONDS = 366 * 86_400;
export const MAX_SHIFT_MINUTES = MAX_SHIFT_SECONDS / 60;

/**
 * A layer's or override's instant in ms, or null when it is not a timestamp (src/domain/timestamps.ts); configs
 * may leave out the seconds.
 */
export const parseInstant = (v: unknown): number | null => timestampMs(v, { secondsOptional: true });

const isSet = (v: unknown) => v !== undefined && v !== null;
const isId = (v: unknown) => typeof v === 'string' && v.trim().length > 0 && v.length <= 200;

/** Every problem with the config; empty when shifts can be computed from it. */
export function validateBuiltinConfig(config: BuiltinConfig, knownUserIds?: Set<string>): FieldError[] {
  const problems: FieldError[] = [];
  const add = (field: string, message: string) => {
    problems.push({ field, message });
  };
  if (typeof config !== 'object' || config === null)
    return [{ field: 'config', message: 'must be an object' }];

  if (typeof config.timezone !== 'string' || !isIanaZone(config.timezone))
    add(
      'timezone',
      `must be an IANA time zone such as Europe/Berlin; got ${JSON.stringify(config.timezone)}`,
    );

  const unknownUser = (field: string, id: unknown) => {
    if (!isId(id)) add(field, 'must be a user id');
    else if (knownUserIds && !knownUserIds.has(id as string)) add(field, `unknown user '${String(id)}'`);
  };

  const layers: unknown = config.layers;
  if (!Array.isArray(layers) || layers.length === 0) add('layers', 'must hold at least one layer');
  else if (layers.length > MAX_LAYERS) add('layers', `at most ${MAX_LAYERS} layers`);
  else
    layers.forEach((layer: BuiltinConfig['layers'][number], i) => {
      const at = `layers.${i}`;
      if (typeof layer !== 'object' || layer === null) return add(at, 'must be an object');
      const start = parseInstant(layer.start);
      if (start === null) add(`${at}.start`, 'must be a date-time with an offset, e.g. 2030-01-06T09:00:00Z');
      const minutes = isSet(layer.shiftMinutes);
      const seconds = isSet(layer.shiftSeconds);
      if (minutes === seconds) add(at, 'needs exactly one of shiftMinutes and shiftSeconds');
      else if (minutes)
        lengthProblem(`${at}.shiftMinutes`, layer.shiftMinutes, MAX_SHIFT_MINUTES, 'minutes', add);
      else lengthProblem(`${at}.shiftSeconds`, layer.shiftSeconds, MAX_SHIFT_SECONDS, 'seconds', add);
      if (isSet(layer.end)) {
        const end = parseInstant(layer.end);
        if (end === null) add(`${at}.end`, 'must be a date-time with an offset, or null');
        else if (start !== null && end <= start) add(`${at}.end`, 'must be after start');
      }
      const ids: unknown = layer.userIds;
      if (!Array.isArray(ids) || ids.length === 0) add(`${at}.userIds`, 'must name at least one user');
      else if (ids.length > MAX_PARTICIPANTS)
        add(`${at}.userIds`, `at most ${MAX_PARTICIPANTS} participants`);
      else ids.forEach((id, j) => unknownUser(`${at}.userIds.${j}`, id));
    });

  const overrides: unknown = config.overrides;
  if (isSet(overrides) && !Array.isArray(overrides)) add('overrides', 'must be a list');
  else if (Array.isArray(overrides) && overrides.length > MAX_OVERRIDES)
    add('overrides', `at most ${MAX_OVERRIDES} overrides`);
  else
    (overrides as BuiltinConfig['overrides'])?.forEach((o, i) => {
      const at = `overrides.${i}`;
      if (typeof o !== 'object' || o === null) return add(at, 'must be an object');
      unknownUser(`${at}.userId`, o.userId);
      const start = parseInstant(o.start);
      const end = parseInstant(o.end);
      if (start === null) add(`${at}.start`, 'must be a date-time with an offset');
      if (end === null) add(`${at}.end`, 'must be a date-time with an offset');
      else if (start !== null && end <= start) add(`${at}.end`, 'must be after start');
    });
  return problems;
}

function lengthProblem(
  field: string,
  v: unknown,
  max: number,
  unit: string,
  add: (field: string, message: string) => void,
) {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max)
    add(field, `must be a whole number of ${unit} from 1 to ${max} (366 days)`);
}
