// What the access index answers. Times are epoch milliseconds; null means "no end".

import type { EdgeFact, GrantColumns, GrantFact, GrantSource, Target } from '../domain/access-facts.js';

/**
 * One way a user reaches an item: their grant on `groupIds[0]`, then asset edges through the following groups.
 * For a group target the last element is the target itself; for a resource target the last element is the group
 * holding the resource as an asset, and a direct resource grant has no groups at all.
 */
export interface PathInfo {
  grantId: string;
  source: GrantSource;
  groupIds: string[];
  /** The earliest of the grant's end and the ends of the edges on the path. */
  endsAt: number | null;
}

export interface CheckResult {
  allowed: boolean;
  /** The latest end over all active paths: when access ends if nothing changes. */
  expiresAt: number | null;
  via: PathInfo[];
}

export interface AccessItem {
  target: Target;
  expiresAt: number | null;
  via: PathInfo[];
}

export interface MemberItem {
  userId: string;
  /** The user holds an active grant on the item itself (not only through nesting). */
  direct: boolean;
  expiresAt: number | null;
  via: PathInfo[];
}

export interface IndexFacts {
  /** One by one, or column by column (a large load: see GrantColumns). */
  grants: Iterable<GrantFact> | GrantColumns;
  edges: Iterable<EdgeFact>;
  suspendedUserIds: Iterable<string>;
}

export interface IndexStats {
  users: number;
  suspendedUsers: number;
  /** Groups and (resource, access level) pairs the index has seen. */
  nodes: number;
  grants: number;
  edges: number;
  /** Live edges left out because they would close a loop (see IndexState.parked); normally 0. */
  parkedEdges: number;
  /** (ancestor, descendant) pairs in the reachability closure, counted once. */
  closureEntries: number;
}
