import { ScimError } from '../../domain/scim/errors.js';
import { readScimGroup, toScimGroup } from '../../domain/scim/group-resource.js';
import { applyPatch, parsePatchRequest } from '../../domain/scim/patch.js';
import type { NewEvent } from '../../store/events.js';
import { idpMembers, lockScimGroup, updateScimGroupFields, type ScimGroupRecord } from '../../store/scim.js';
import type { OpsDeps } from '../shared/deps.js';
import { runInTransaction } from '../shared/transaction.js';
import type { ScimCaller } from './authenticate.js';
import { syncMembers } from './write-group.js';

/**
 * A group the provider changes must be its own: a local group is not the provider's to rename or fill, even
 * though it is listed (every group is, so a provider can match by displayName and sees the name is taken).
 */
function assertProviders(group: ScimGroupRecord) {
  if (group.source !== 'scim')
    throw new ScimError(
      409,
      `group '${group.name}' was created in Latch, not by the identity provider; it cannot be changed over SCIM`,
      'mutability',
    );
}

async function changeGroup(
  deps: OpsDeps,
  caller: ScimCaller,
  id: string,
  next: (current: Record<string, unknown>) => unknown,
): Promise<void> {
  const now = deps.now();
  await runInTransaction(deps, async (trx) => {
    const group = await lockScimGroup(trx, id);
    if (!group) throw new ScimError(404, `no group with id ${id}`);
    assertProviders(group);
    const members = (await idpMembers(trx, [id])).get(id) ?? [];
    const current = toScimGroup({ ...group, members }, '', () => '');
    const input = readScimGroup(next(current));
    const events: NewEvent[] = [];
    if (input.displayName !== group.name || input.externalId !== group.externalId) {
      await updateScimGroupFields(trx, id, { name: input.displayName, externalId: input.externalId }, now);
      events.push({
        type: 'group.updated',
        actorId: caller.actorId,
        subjects: [
          { type: 'group', id },
          { type: 'token', id: caller.tokenId },
        ],
        data: {
          via: 'scim',
          changes: {
            ...(input.displayName !== group.name
              ? { name: { from: group.name, to: input.displayName } }
              : {}),
            ...(input.externalId !== group.externalId
              ? { externalId: { from: group.externalId, to: input.externalId } }
              : {}),
          },
        },
      });
    }
    events.push(...(await syncMembers(trx, caller, id, input.memberIds, now)));
    return { result: undefined, events };
  });
}

/** PUT: displayName, externalId and the whole member list, as sent. */
export function replaceScimGroup(deps: OpsDeps, caller: ScimCaller, id: string, body: unknown) {
  return changeGroup(deps, caller, id, () => body);
}

/** PATCH: operations on the group as served (members added or removed by value, displayName replaced). */
export function patchScimGroup(deps: OpsDeps, caller: ScimCaller, id: string, body: unknown) {
  const ops = parsePatchRequest(body);
  return changeGroup(deps, caller, id, (current) => applyPatch(current, ops, 'Group'));
}
