import type { Subject } from '../../domain/audit-chain.js';

/** An edge's events name the edge, the group it belongs to and its asset, so owners of either end see them. */
export const assetSubjects = (a: {
  id: string;
  groupId: string;
  assetGroupId: string | null;
  assetResourceId: string | null;
}): Subject[] => [
  { type: 'asset', id: a.id },
  { type: 'group', id: a.groupId },
  a.assetGroupId ? { type: 'group', id: a.assetGroupId } : { type: 'resource', id: a.assetResourceId! },
];
