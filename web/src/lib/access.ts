import type { AccessPath, GrantSource, RequestTerms } from '../api/types';

// Words for how access was obtained, and the durations a request dialog offers.

export const sourceLabel: Record<GrantSource, string> = {
  direct: 'Granted directly',
  request: 'Approved request',
  break_glass: 'Break-glass',
  on_call: 'On call',
  idp: 'From the identity provider',
};

/** "A → B → C": the user's grant on the first group, then the nesting edges down to the item. */
export function pathText(
  path: Pick<AccessPath, 'groupIds'>,
  groupName: (id: string) => string,
  tail?: string,
): string {
  const names = path.groupIds.map(groupName);
  if (tail) names.push(tail);
  return names.join(' → ');
}

/** Durations people usually ask for, in minutes: 15 min to 30 days. */
const COMMON = [15, 30, 60, 120, 240, 480, 720, 1440, 2880, 4320, 10080, 20160, 43200];
/** The API's own ceiling when a configuration sets none (ten years); the dialog stops at 30 days. */
const UNBOUNDED_CAP = 43200;

/** Recommended first, then the common choices up to the maximum, then the maximum itself. */
export function durationChoices(terms: RequestTerms): number[] {
  const max = terms.maxDurationMinutes ?? UNBOUNDED_CAP;
  const out: number[] = [];
  const add = (m: number | null | undefined) => {
    if (m && m > 0 && m <= (terms.maxDurationMinutes ?? Infinity) && !out.includes(m)) out.push(m);
  };
  add(terms.recommendedDurationMinutes);
  for (const m of COMMON) if (m <= max) add(m);
  add(terms.maxDurationMinutes);
  return out;
}
