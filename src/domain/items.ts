// Groups and resources: the items access is granted to.

export interface Group {
  id: string;
  name: string;
  description: string;
  ownerUserIds: string[];
  ownerGroupId: string | null;
  createdAt: string;
  /** scim: pushed by the identity provider, whose memberships only it changes. */
  source: GroupSource;
  externalId: string | null;
}

export const GROUP_SOURCES = ['local', 'scim'] as const;
export type GroupSource = (typeof GROUP_SOURCES)[number];

export interface Resource {
  id: string;
  name: string;
  type: string;
  description: string;
  accessLevels: string[];
  ownerUserIds: string[];
  ownerGroupId: string | null;
  createdAt: string;
}

export type ItemRef = { kind: 'group'; id: string } | { kind: 'resource'; id: string };

export const DEFAULT_ACCESS_LEVELS = ['member'];

export interface Asset {
  id: string;
  groupId: string;
  assetGroupId: string | null;
  assetResourceId: string | null;
  accessLevel: string | null;
  expiresAt: string | null;
  createdAt: string;
}
