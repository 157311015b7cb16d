import type { AccessItem, CheckResult, MemberItem } from '../../access/access-index.js';
import type { Target } from '../../domain/access-facts.js';
import { AppError, forbidden, notFound } from '../../domain/errors.js';
import type { Group, Resource } from '../../domain/items.js';
import { can } from '../../domain/policy/policy.js';
import type { Actor } from '../../domain/users.js';
import { findGroup, findGroupsByIds } from '../../store/groups.js';
import { findResource, findResourcesByIds } from '../../store/resources.js';
import { authorize, itemFacts } from '../shared/authorization.js';
import type { OpsDeps } from '../shared/deps.js';

// Effective access, answered from the in-memory index: who has access to what, now, and through which paths.

export interface AccessQuestion {
  userId: string;
  target: Target;
}

const ASK_REFUSAL =
  "only admins, auditors, the item's owners and the user themself can ask about this access";
const itemIdOf = (t: Target) => ('groupId' in t ? t.groupId : t.resourceId);

/** Readers of everything and the user themself need no look-up: the hot path stays in memory. */
const asksFreely = (actor: Actor, userId: string) =>
  can(actor, 'accessQuestion', 'ask', { userId, item: { isOwner: false } });

/** A question naming something that does not exist is told so: a typo must not read as a silent "no". */
function unknownIn(deps: OpsDeps, q: AccessQuestion): AppError | undefined {
  const unknown = deps.index.unknownIn(q.userId, q.target);
  return unknown === undefined ? undefined : new AppError('not_found', `${unknown} does not exist`);
}

/**
 * The index's answer, unless the question names something that does not exist. Access is only ever to what
 * exists, so an "allowed" needs no look-up; only a denial is checked against the ids known.
 */
function answer(deps: OpsDeps, q: AccessQuestion, now: number): BatchAnswer {
  const result = deps.index.check(q.userId, q.target, now);
  if (result.allowed) return result;
  const unknown = unknownIn(deps, q);
  return unknown ? { error: unknown } : result;
}

/** Whether the user has access to the item now, until when and through which paths. */
export async function checkAccess(deps: OpsDeps, actor: Actor, q: AccessQuestion): Promise<CheckResult> {
  if (!asksFreely(actor, q.userId)) {
    const unknown = unknownIn(deps, q);
    if (unknown) throw unknown;
    const item =
      'groupId' in q.target
        ? await findGroup(deps.db, q.target.groupId)
        : await findResource(deps.db, q.target.resourceId);
    const facts = { userId: q.userId, item: item ? itemFacts(deps, actor, item) : { isOwner: false } };
    authorize(actor, 'accessQuestion', 'ask', facts, ASK_REFUSAL);
  }
  const result = answer(deps, q, Date.now());
  if ('error' in result) throw result.error;
  return result;
}

/**
 * Many questions at once, answered in order. The items of the questions the actor may not ask freely are read
 * in one query per kind and their ownership decided once each, so a batch costs the same for an owner as for an
 * admin whatever its size.
 */
export type BatchAnswer = CheckResult | { error: AppError };

export async function checkAccessBatch(
  deps: OpsDeps,
  actor: Actor,
  qs: AccessQuestion[],
): Promise<BatchAnswer[]> {
  // Asked once: may the actor ask about anyone, even on an item they do not own? Then no question needs more.
  const asksAboutAnyone = asksFreely(actor, '');
  const guarded = asksAboutAnyone ? [] : qs.filter((q) => !asksFreely(actor, q.userId));
  if (guarded.length > 0) {
    const groupIds = [...new Set(guarded.flatMap((q) => ('groupId' in q.target ? [q.target.groupId] : [])))];
    const resourceIds = [
      ...new Set(guarded.flatMap((q) => ('resourceId' in q.target ? [q.target.resourceId] : []))),
    ];
    const [groups, resources] = await Promise.all([
      findGroupsByIds(deps.db, groupIds),
      findResourcesByIds(deps.db, resourceIds),
    ]);
    const owned = new Map<string, boolean>();
    for (const item of [...groups, ...resources] as (Group | Resource)[])
      owned.set(item.id, itemFacts(deps, actor, item).isOwner);
    for (const [i, q] of qs.entries()) {
      if (asksFreely(actor, q.userId)) continue;
      const item = { isOwner: owned.get(itemIdOf(q.target)) ?? false };
      if (!can(actor, 'accessQuestion', 'ask', { userId: q.userId, item }))
        throw forbidden(`checks.${i}: ${ASK_REFUSAL}`);
    }
  }
  const now = Date.now();
  return qs.map((q) => answer(deps, q, now));
}

/** Everything the user can access now. */
export function userAccess(deps: OpsDeps, actor: Actor, userId: string): AccessItem[] {
  authorize(actor, 'account', 'readAccess', { userId }, () => notFound('user', userId));
  if (!deps.index.hasUser(userId)) throw notFound('user', userId);
  return deps.index.userAccess(userId, Date.now());
}

/** Everyone with access to a group now, directly or through nesting. */
export async function groupMembers(deps: OpsDeps, actor: Actor, groupId: string): Promise<MemberItem[]> {
  const group = await findGroup(deps.db, groupId);
  if (!group) throw notFound('group', groupId);
  authorize(
    actor,
    'item',
    'readAccess',
    itemFacts(deps, actor, group),
    "only admins, auditors and the group's owners can list its members",
  );
  return deps.index.members({ groupId }, deps.now().getTime());
}

/** Everyone with access to a resource now, per access level (one level, or all of them). */
export async function resourceMembers(
  deps: OpsDeps,
  actor: Actor,
  resourceId: string,
  accessLevel: string | undefined,
): Promise<{ accessLevel: string; members: MemberItem[] }[]> {
  const resource = await findResource(deps.db, resourceId);
  if (!resource) throw notFound('resource', resourceId);
  authorize(
    actor,
    'item',
    'readAccess',
    itemFacts(deps, actor, resource),
    "only admins, auditors and the resource's owners can list its members",
  );
  const now = deps.now().getTime();
  return (accessLevel ? [accessLevel] : resource.accessLevels).map((level) => ({
    accessLevel: level,
    members: deps.index.members({ resourceId, accessLevel: level }, now),
  }));
}
