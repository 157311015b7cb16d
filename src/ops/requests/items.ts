import type { IndexReader } from '../../access/index-reader.js';
import { invalid, notFound } from '../../domain/errors.js';
import type { Group, Resource } from '../../domain/items.js';
import { matchConfiguration, type RequestConfiguration } from '../../domain/request-config.js';
import { findGroup } from '../../store/groups.js';
import { configurationsByItem } from '../../store/request-configurations.js';
import { findResource } from '../../store/resources.js';
import type { Tx } from '../shared/deps.js';

export type ItemRequestRef = { groupId: string } | { resourceId: string; accessLevel: string };

export interface LoadedItem {
  target: ItemRequestRef;
  item: Group | Resource;
  /** How messages name the item: its kind, name and, for a resource, the level. */
  label: string;
}

/** Finds a requested item: unknown (or deleted) items are 404, an access level the resource lacks is 400. */
export async function loadRequestedItem(trx: Tx, ref: ItemRequestRef, field: string): Promise<LoadedItem> {
  if ('groupId' in ref) {
    const group = await findGroup(trx, ref.groupId);
    if (!group) throw notFound('group', ref.groupId);
    return { target: { groupId: group.id }, item: group, label: `group '${group.name}'` };
  }
  const resource = await findResource(trx, ref.resourceId);
  if (!resource) throw notFound('resource', ref.resourceId);
  if (!resource.accessLevels.includes(ref.accessLevel))
    throw invalid(
      `${field}.accessLevel`,
      `must be one of the resource's access levels: ${resource.accessLevels.join(', ')}`,
    );
  return {
    target: { resourceId: resource.id, accessLevel: ref.accessLevel },
    item: resource,
    label: `resource '${resource.name}' at level '${ref.accessLevel}'`,
  };
}

export const itemIdOf = (ref: ItemRequestRef) => ('groupId' in ref ? ref.groupId : ref.resourceId);

/** The configuration entry that applies to the target user for each item (undefined: none applies). */
export async function matchFor(
  trx: Tx,
  index: IndexReader,
  itemIds: string[],
  targetUserId: string,
  now: Date,
): Promise<Map<string, RequestConfiguration | undefined>> {
  const configs = await configurationsByItem(trx, itemIds);
  const isMemberOf = (groupId: string) => index.isAllowed(targetUserId, { groupId }, now.getTime());
  return new Map(itemIds.map((id) => [id, matchConfiguration(configs.get(id) ?? [], isMemberOf)]));
}
