import type { FieldError } from '../errors.js';
import type { BuiltinConfig } from './shifts.js';

// The shape of a builtin rotation as JSON, checked before its rules are: a request body may hold anything.

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown, max = 200): v is string => typeof v === 'string' && v.length <= max;
const isWhole = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

export function builtinShapeProblems(raw: Record<string, unknown>): FieldError[] {
  const problems: FieldError[] = [];
  const bad = (field: string, message: string) => problems.push({ field, message });
  for (const key of Object.keys(raw))
    if (!['timezone', 'layers', 'overrides'].includes(key))
      bad(key, 'is not a setting of a builtin rotation');
  if (!isString(raw.timezone, 100)) bad('timezone', 'must be an IANA time zone name such as Europe/Berlin');
  if (!Array.isArray(raw.layers)) bad('layers', 'must be a list of rotation layers');
  else
    raw.layers.forEach((layer: unknown, i) => {
      const at = `layers.${i}`;
      if (!isObject(layer)) return bad(at, 'must be an object {start, shiftMinutes, userIds}');
      for (const key of Object.keys(layer))
        if (!['start', 'end', 'shiftMinutes', 'shiftSeconds', 'userIds'].includes(key))
          bad(`${at}.${key}`, 'is not a setting of a layer');
      if (!isString(layer.start, 40)) bad(`${at}.start`, 'must be an RFC 3339 time');
      if (layer.end !== undefined && layer.end !== null && !isString(layer.end, 40))
        bad(`${at}.end`, 'must be an RFC 3339 time or null');
      for (const key of ['shiftMinutes', 'shiftSeconds'])
        if (layer[key] !== undefined && !isWhole(layer[key])) bad(`${at}.${key}`, 'must be a whole number');
      if (!Array.isArray(layer.userIds) || !layer.userIds.every((id) => isString(id, 64)))
        bad(`${at}.userIds`, 'must be a list of user ids');
    });
  if (raw.overrides !== undefined) {
    if (!Array.isArray(raw.overrides)) bad('overrides', 'must be a list of {userId, start, end}');
    else
      raw.overrides.forEach((o: unknown, i) => {
        const at = `overrides.${i}`;
        if (!isObject(o)) return bad(at, 'must be an object {userId, start, end}');
        for (const key of Object.keys(o))
          if (!['userId', 'start', 'end'].includes(key))
            bad(`${at}.${key}`, 'is not a setting of an override');
        if (!isString(o.userId, 64)) bad(`${at}.userId`, 'must be a user id');
        if (!isString(o.start, 40)) bad(`${at}.start`, 'must be an RFC 3339 time');
        if (!isString(o.end, 40)) bad(`${at}.end`, 'must be an RFC 3339 time');
      });
  }
  return problems;
}

/** The user ids a well-shaped builtin config names. */
export const builtinUserIds = (config: BuiltinConfig): string[] => [
  ...new Set([...config.layers.flatMap((l) => l.userIds), ...(config.overrides ?? []).map((o) => o.userId)]),
];
