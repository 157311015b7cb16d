import type { RemoteLink } from './connections/connection.js';

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
  /** The remote item in a connected system whose members are this group's effective members. */
  remote: RemoteLink | null;
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
  /** The remote item whose members hold this resource at the link's access level. */
  remote: RemoteLink | null;
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

/**
 * A SCIM group's memberships are the identity provider's: Latch neither adds nor ends them directly (the next
 * push would undo it, and the provider is where people are let in and out). Requests, break-glass, nesting and
 * owners work on such a group as on any other.
 */
export const membersManagedByIdp = (group: Pick<Group, 'source'>) => group.source === 'scim';
