import { invalid } from '../../domain/errors.js';

const LEVEL = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;

/** Access level names are short identifiers, unique per resource; at least one is required. */
export function normalizeAccessLevels(levels: string[]): string[] {
  const trimmed = levels.map((l) => l.trim());
  if (trimmed.length === 0) throw invalid('accessLevels', 'must name at least one access level');
  const bad = trimmed.find((l) => !LEVEL.test(l));
  if (bad !== undefined)
    throw invalid('accessLevels', `'${bad}' is not a valid access level name (letters, digits, _ . : -)`);
  if (new Set(trimmed).size !== trimmed.length) throw invalid('accessLevels', 'must not repeat a name');
  return trimmed;
}
