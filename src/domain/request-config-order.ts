// The order in which a request configuration's entries are tried, defined once for the server (which entry
// applies to someone) and the web UI (the list shows entries in that order). Entries with a condition come first,
// by ascending priority; the default (no condition) comes last whatever its priority, and only the first default
// can ever apply.

interface Ordered {
  priority: number;
  condition: { groupIds: readonly string[] } | null;
}

export const byPriority = <T extends { priority: number }>(list: readonly T[]): T[] =>
  [...list].sort((a, b) => a.priority - b.priority);

export function triedOrder<T extends Ordered>(list: readonly T[]): T[] {
  const sorted = byPriority(list);
  return [...sorted.filter((e) => e.condition !== null), ...sorted.filter((e) => e.condition === null)];
}

/** The first entry, in the order tried, that applies to someone in these groups (see triedOrder). */
export const firstApplying = <T extends Ordered>(list: readonly T[], isMemberOf: (groupId: string) => boolean) =>
  triedOrder(list).find((e) => e.condition === null || e.condition.groupIds.some(isMemberOf));
