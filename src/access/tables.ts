// Interning of users and graph nodes to dense integers, so the hot paths index typed arrays instead of hashing
// strings more than once per call. Ids are never un-interned: the tables grow with the ids ever seen, which is
// bounded by the rows in the store.

import type { Target } from '../domain/access-facts.js';
import { IdDirectory } from './id-directory.js';

export class UserTable {
  /** Also holds where each user's grant records are: the grant table mirrors them into it. */
  readonly directory = new IdDirectory();
  readonly ids: string[] = [];
  /** 1 while the user is suspended: a suspended user has no effective access at all, their grants are kept. */
  suspended = new Uint8Array(1024);
  suspendedCount = 0;

  get size(): number {
    return this.ids.length;
  }

  lookup(userId: string): number | undefined {
    return this.directory.get(userId);
  }

  intern(userId: string): number {
    const known = this.directory.get(userId);
    if (known !== undefined) return known;
    const u = this.ids.length;
    this.ids.push(userId);
    this.directory.add(userId, u);
    if (u >= this.suspended.length) {
      const grown = new Uint8Array(this.suspended.length * 2);
      grown.set(this.suspended);
      this.suspended = grown;
    }
    return u;
  }

  setSuspended(userId: string, suspended: boolean): void {
    const u = this.intern(userId);
    const flag = suspended ? 1 : 0;
    if (this.suspended[u] === flag) return;
    this.suspended[u] = flag;
    this.suspendedCount += suspended ? 1 : -1;
  }
}

/**
 * Graph nodes: groups, and each (resource, access level) pair as a leaf. A leaf never has assets of its own,
 * which is why a resource reached at one level says nothing about another level.
 */
export class NodeTable {
  /** Also holds where each group's ancestors are: the reach table mirrors them into it. */
  readonly groups = new IdDirectory();
  private readonly resources = new Map<string, Map<string, number>>();
  /** The group id of a group node; null for a resource leaf. */
  readonly groupIdOf: (string | null)[] = [];
  readonly targetOf: Target[] = [];

  get size(): number {
    return this.targetOf.length;
  }

  internGroup(groupId: string): number {
    return this.groups.get(groupId) ?? this.intern({ groupId });
  }

  lookup(t: Target): number | undefined {
    if ('groupId' in t) return this.groups.get(t.groupId);
    return this.resources.get(t.resourceId)?.get(t.accessLevel);
  }

  intern(t: Target): number {
    const known = this.lookup(t);
    if (known !== undefined) return known;
    const n = this.targetOf.length;
    if ('groupId' in t) {
      this.groups.add(t.groupId, n);
      this.groupIdOf.push(t.groupId);
      this.targetOf.push({ groupId: t.groupId });
    } else {
      let levels = this.resources.get(t.resourceId);
      if (!levels) this.resources.set(t.resourceId, (levels = new Map()));
      levels.set(t.accessLevel, n);
      this.groupIdOf.push(null);
      this.targetOf.push({ resourceId: t.resourceId, accessLevel: t.accessLevel });
    }
    return n;
  }
}
