// After a campaign closes, a user may still reach an item it revoked: through another grant, or another nesting
// path. The row's effect says so rather than hide it. A path is the access index's: the user's grant on
// `groupIds[0]`, then edges down through the following groups; for a resource, the last edge goes from the last
// group to the resource at its level (a direct resource grant has no groups).

export interface HeldPath {
  grantId: string;
  groupIds: string[];
}

export type ReviewedItem = { groupId: string } | { resourceId: string; accessLevel: string };

/** How an edge is named in `removedEdges`: parent and asset (for a resource, with the level). */
export const edgeKey = (parentGroupId: string, item: ReviewedItem) =>
  'groupId' in item
    ? `${parentGroupId}>${item.groupId}`
    : `${parentGroupId}>${item.resourceId}:${item.accessLevel}`;

function edgesOf(path: HeldPath, item: ReviewedItem): string[] {
  const keys: string[] = [];
  const groups = path.groupIds;
  for (let i = 0; i + 1 < groups.length; i++) keys.push(edgeKey(groups[i]!, { groupId: groups[i + 1]! }));
  if ('resourceId' in item && groups.length > 0) keys.push(edgeKey(groups[groups.length - 1]!, item));
  return keys;
}

/** The first path that does not go through a grant this close ended or an edge it removed. */
export function survivingPath(
  paths: readonly HeldPath[],
  item: ReviewedItem,
  endedGrantIds: ReadonlySet<string>,
  removedEdges: ReadonlySet<string>,
): HeldPath | undefined {
  return paths.find(
    (p) => !endedGrantIds.has(p.grantId) && !edgesOf(p, item).some((k) => removedEdges.has(k)),
  );
}
