import { AppError, invalid, notFound } from '../../domain/errors.js';
import { membersManagedByIdp } from '../../domain/items.js';
import { grantWindow, type Grant, type WindowInput } from '../../domain/grants.js';
import type { Actor } from '../../domain/users.js';
import { findGroup } from '../../store/groups.js';
import { findResource } from '../../store/resources.js';
import { findUserById } from '../../store/users.js';
import type { OpsDeps } from '../shared/deps.js';
import { insertGrantWithEvent } from './insert-grant.js';
import { runInTransaction } from '../shared/transaction.js';
import { authorize, itemFacts } from '../shared/authorization.js';

export interface GrantAccessInput extends WindowInput {
  userId: string;
  accessLevel?: string | undefined;
  reason?: string | undefined;
}

/** A direct grant by an owner or admin: POST /groups/{id}/members and /resources/{id}/members. */
export async function grantAccess(
  deps: OpsDeps,
  actor: Actor,
  item: { groupId: string } | { resourceId: string },
  input: GrantAccessInput,
): Promise<Grant> {
  const now = deps.now();
  const window = grantWindow(input, now);
  return runInTransaction(deps, async (trx) => {
    let target: { groupId: string } | { resourceId: string; accessLevel: string };
    if ('groupId' in item) {
      const group = await findGroup(trx, item.groupId, true);
      if (!group) throw notFound('group', item.groupId);
      authorize(
        actor,
        'item',
        'manageMembers',
        itemFacts(deps, actor, group),
        "only admins and the group's owners can grant access to it",
      );
      if (membersManagedByIdp(group))
        throw new AppError(
          'managed_by_idp',
          `the members of '${group.name}' come from the identity provider; add the person there`,
        );
      target = { groupId: group.id };
    } else {
      const resource = await findResource(trx, item.resourceId, true);
      if (!resource) throw notFound('resource', item.resourceId);
      authorize(
        actor,
        'item',
        'manageMembers',
        itemFacts(deps, actor, resource),
        "only admins and the resource's owners can grant access to it",
      );
      const level = input.accessLevel;
      if (!level || !resource.accessLevels.includes(level)) {
        throw invalid(
          'accessLevel',
          `must be one of the resource's access levels: ${resource.accessLevels.join(', ')}`,
        );
      }
      target = { resourceId: resource.id, accessLevel: level };
    }
    if (!(await findUserById(trx, input.userId))) throw invalid('userId', `unknown user: ${input.userId}`);
    const { grant, event } = await insertGrantWithEvent(
      trx,
      {
        userId: input.userId,
        target,
        source: 'direct',
        reason: input.reason?.trim() || null,
        createdBy: actor.id,
        ...window,
      },
      now,
    );
    return { result: grant, events: [event] };
  });
}
