import type { Activation, BreakGlassSettings } from '../../domain/break-glass.js';
import { notFound } from '../../domain/errors.js';
import type { Actor } from '../../domain/users.js';
import { readSettings } from '../../store/break-glass-settings.js';
import {
  findActivation,
  listActivations as storeList,
  type ActivationFilter,
} from '../../store/break-glass.js';
import { findGroup, findGroupsByIds } from '../../store/groups.js';
import { abilities, authorize, heldFacts } from '../shared/authorization.js';
import type { OpsDeps } from '../shared/deps.js';
import { listScopeFor } from '../shared/list-scope.js';

// Reads of break-glass: a group's settings are public to signed-in users (the catalog shows who may break the
// glass); activations are seen by admins, auditors, their holder and the group's owners.

/** An activation with what the reader may do to it, from the policy, so clients never re-derive it. */
export type ActivationView = Activation & { abilities: { end: boolean; review: boolean } };

export async function activationViews(
  deps: OpsDeps,
  actor: Actor,
  activations: Activation[],
): Promise<ActivationView[]> {
  const groupIds = [...new Set(activations.map((a) => a.groupId))];
  const groups = new Map((await findGroupsByIds(deps.db, groupIds)).map((g) => [g.id, g]));
  return activations.map((a) => {
    const { end, review } = abilities(
      actor,
      'activation',
      heldFacts(deps, actor, a.userId, groups.get(a.groupId)),
    );
    return { ...a, abilities: { end, review } };
  });
}

export const activationView = async (deps: OpsDeps, actor: Actor, a: Activation): Promise<ActivationView> =>
  (await activationViews(deps, actor, [a]))[0]!;

export async function breakGlassSettings(deps: OpsDeps, groupId: string): Promise<BreakGlassSettings> {
  if (!(await findGroup(deps.db, groupId))) throw notFound('group', groupId);
  return readSettings(deps.db, groupId);
}

export async function listActivations(
  deps: OpsDeps,
  actor: Actor,
  f: Omit<ActivationFilter, 'visibleTo'>,
): Promise<ActivationView[]> {
  const scope = await listScopeFor(deps, actor);
  const visibleTo = scope && { userId: scope.userId, groupIds: scope.itemIds };
  return activationViews(deps, actor, await storeList(deps.db, { ...f, visibleTo }, deps.now()));
}

export async function getActivation(deps: OpsDeps, actor: Actor, id: string): Promise<ActivationView> {
  const activation = await findActivation(deps.db, id, deps.now());
  if (!activation) throw notFound('break-glass activation', id);
  const group = await findGroup(deps.db, activation.groupId);
  const facts = heldFacts(deps, actor, activation.userId, group);
  authorize(actor, 'activation', 'view', facts, () => notFound('break-glass activation', id));
  return activationView(deps, actor, activation);
}
