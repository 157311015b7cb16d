// The facts effective access is computed from, reduced to what the rules need. Times are epoch milliseconds.
// Pure: no I/O; the store maps its rows to these and the access index consumes them.

export const GRANT_SOURCES = ['direct', 'request', 'break_glass', 'on_call', 'idp'] as const;
export type GrantSource = (typeof GRANT_SOURCES)[number];

/** One grant row. `endsAt` is the earlier of its expiry and its end (revocation); null means no end. */
export interface GrantFact {
  id: string;
  userId: string;
  /** Exactly one of `groupId` and (`resourceId`, `accessLevel`) is set. */
  groupId: string | null;
  resourceId: string | null;
  accessLevel: string | null;
  source: GrantSource;
  startsAt: number;
  endsAt: number | null;
}

/**
 * Many grants column by column: the i-th entry of every column is one grant. The index loads this at start-up,
 * where an object per grant for a million grants cost more in garbage collection than the load itself.
 */
export interface GrantColumns {
  ids: string[];
  userIds: string[];
  groupIds: (string | null)[];
  resourceIds: (string | null)[];
  accessLevels: (string | null)[];
  sources: GrantSource[];
  startsAt: number[];
  endsAt: (number | null)[];
}

export function emptyGrantColumns(): GrantColumns {
  return {
    ids: [],
    userIds: [],
    groupIds: [],
    resourceIds: [],
    accessLevels: [],
    sources: [],
    startsAt: [],
    endsAt: [],
  };
}

function pushGrantFact(c: GrantColumns, g: GrantFact): void {
  c.ids.push(g.id);
  c.userIds.push(g.userId);
  c.groupIds.push(g.groupId);
  c.resourceIds.push(g.resourceId);
  c.accessLevels.push(g.accessLevel);
  c.sources.push(g.source);
  c.startsAt.push(g.startsAt);
  c.endsAt.push(g.endsAt);
}

export function grantColumnsOf(facts: Iterable<GrantFact>): GrantColumns {
  const c = emptyGrantColumns();
  for (const g of facts) pushGrantFact(c, g);
  return c;
}

/** The i-th grant of `c` as one fact. */
export function grantFactAt(c: GrantColumns, i: number): GrantFact {
  return {
    id: c.ids[i]!,
    userId: c.userIds[i]!,
    groupId: c.groupIds[i]!,
    resourceId: c.resourceIds[i]!,
    accessLevel: c.accessLevels[i]!,
    source: c.sources[i]!,
    startsAt: c.startsAt[i]!,
    endsAt: c.endsAt[i]!,
  };
}

/** One asset edge: `parentGroupId`'s members reach the child group, or the resource at `accessLevel`. */
export interface EdgeFact {
  id: string;
  parentGroupId: string;
  childGroupId: string | null;
  resourceId: string | null;
  accessLevel: string | null;
  /** Edges have no start: they count from creation until `endsAt` (null: no end). */
  endsAt: number | null;
  /**
   * When the store accepted the edge. Its cycle check counted only the edges live at that moment, so an edge
   * that had ended by then may close a loop with it; such an edge never counts again and can be forgotten.
   */
  since?: number;
}

export type GroupTarget = { groupId: string };
export type ResourceTarget = { resourceId: string; accessLevel: string };
export type Target = GroupTarget | ResourceTarget;

/** The half-open window `startsAt <= now < endsAt`; a null end never arrives. */
export function isActive(startsAt: number, endsAt: number | null, now: number): boolean {
  return startsAt <= now && (endsAt === null || now < endsAt);
}

export const isGrantActive = (g: GrantFact, now: number) => isActive(g.startsAt, g.endsAt, now);

/** An edge has no start, so it counts from the beginning of time until its end. */
export const isEdgeActive = (e: EdgeFact, now: number) => e.endsAt === null || now < e.endsAt;

/** The earlier of two ends, where null (no end) is later than any time. */
export function earliestEnd(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return a < b ? a : b;
}

/** The later of two ends, where null (no end) is later than any time. */
export function latestEnd(a: number | null, b: number | null): number | null {
  if (a === null || b === null) return null;
  return a > b ? a : b;
}

/** Null (no end) as +Infinity, so ends compare with plain `<` and combine with Math.min/max. */
export const endToNumber = (end: number | null): number => (end === null ? Infinity : end);
export const numberToEnd = (end: number): number | null => (end === Infinity ? null : end);

export const isGroupTarget = (t: Target): t is GroupTarget => 'groupId' in t;

export function grantTarget(g: GrantFact): Target {
  if (g.groupId !== null) return { groupId: g.groupId };
  if (g.resourceId !== null && g.accessLevel !== null) {
    return { resourceId: g.resourceId, accessLevel: g.accessLevel };
  }
  throw new Error(`grant ${g.id} names neither a group nor a resource with an access level`);
}

export function edgeChild(e: EdgeFact): Target {
  if (e.childGroupId !== null) return { groupId: e.childGroupId };
  if (e.resourceId !== null && e.accessLevel !== null) {
    return { resourceId: e.resourceId, accessLevel: e.accessLevel };
  }
  throw new Error(`edge ${e.id} names neither a child group nor a resource with an access level`);
}

export function sameTarget(a: Target, b: Target): boolean {
  if (isGroupTarget(a)) return isGroupTarget(b) && a.groupId === b.groupId;
  return !isGroupTarget(b) && a.resourceId === b.resourceId && a.accessLevel === b.accessLevel;
}
