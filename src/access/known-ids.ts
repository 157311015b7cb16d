import type { Target } from '../domain/access-facts.js';

// Which users, groups and resources (with their access levels) exist, kept beside the index by the same change
// feed, so an access question naming an id that does not exist is told so instead of a silent "no access".

export class KnownIds {
  private readonly users = new Set<string>();
  private readonly groups = new Set<string>();
  private readonly resources = new Map<string, ReadonlySet<string>>();

  setUser(id: string, exists: boolean): void {
    if (exists) this.users.add(id);
    else this.users.delete(id);
  }

  setGroup(id: string, exists: boolean): void {
    if (exists) this.groups.add(id);
    else this.groups.delete(id);
  }

  /** `levels` undefined: the resource does not exist (or was deleted). */
  setResource(id: string, levels: readonly string[] | undefined): void {
    if (levels) this.resources.set(id, new Set(levels));
    else this.resources.delete(id);
  }

  hasUser(id: string): boolean {
    return this.users.has(id);
  }

  /** What in the question does not exist, in the caller's words; undefined when everything does. */
  unknownIn(userId: string, target: Target): string | undefined {
    if (!this.users.has(userId)) return `user '${userId}'`;
    if ('groupId' in target) return this.groups.has(target.groupId) ? undefined : `group '${target.groupId}'`;
    const levels = this.resources.get(target.resourceId);
    if (!levels) return `resource '${target.resourceId}'`;
    return levels.has(target.accessLevel)
      ? undefined
      : `access level '${target.accessLevel}' of resource '${target.resourceId}'`;
  }

  get sizes() {
    return { users: this.users.size, groups: this.groups.size, resources: this.resources.size };
  }
}
