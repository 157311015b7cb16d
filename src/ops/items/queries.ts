import { notFound } from '../../domain/errors.js';
import type { Asset, Group, Resource } from '../../domain/items.js';
import { reachedItems, type ReachedItem } from '../../domain/nesting.js';
import type { ItemFacts } from '../../domain/policy/facts.js';
import { liveEdgesReachableFrom } from '../../store/nesting.js';
import type { Actor } from '../../domain/users.js';
import { listAssetsOfGroup, toAsset } from '../../store/assets.js';
import { findGroup, findGroupsByIds, listGroups as storeListGroups } from '../../store/groups.js';
import {
  findResource,
  findResourcesByIds,
  listResources as storeListResources,
} from '../../store/resources.js';
import { abilities, can, itemFacts } from '../shared/authorization.js';
import type { OpsDeps } from '../shared/deps.js';

// Reads of groups, resources and their assets. Every signed-in user sees the inventory (the catalog is built
// from it); each item comes with what the reader may do to it, so clients never re-derive the policy.

/** What a group's and a resource's readers are told they may do (plus `nest`), in the API's words. */
export const GROUP_ABILITIES = [
  'update',
  'delete',
  'manageMembers',
  'readAccess',
  'configureRequests',
  'configureBreakGlass',
  'setChannels',
  'setOnCallSchedules',
  'review',
] as const;
export const RESOURCE_ABILITIES = [
  'update',
  'delete',
  'manageMembers',
  'readAccess',
  'configureRequests',
] as const;

type Flags<K extends readonly string[]> = Record<K[number], boolean>;
type Nest = { nest: boolean };
export type GroupView = Group & { abilities: Flags<typeof GROUP_ABILITIES> & Nest };
export type ResourceView = Resource & { abilities: Flags<typeof RESOURCE_ABILITIES> & Nest };
export type AssetView = Asset & { abilities: { remove: boolean } };

function only<K extends readonly string[]>(all: Record<string, boolean>, keys: K): Flags<K> {
  return Object.fromEntries(keys.map((k) => [k, all[k] === true])) as Flags<K>;
}

/**
 * Whether the item may be an end of an edge the actor adds. The nesting rule asks the same of both ends and
 * nothing else, so an edge may be added exactly when both its ends answer yes.
 */
const nest = (actor: Actor, item: ItemFacts): Nest => ({
  nest: can(actor, 'nesting', 'add', { parent: item, child: item }),
});

export const groupView = (deps: OpsDeps, actor: Actor, g: Group): GroupView => {
  const facts = itemFacts(deps, actor, g);
  return {
    ...g,
    abilities: { ...only(abilities(actor, 'item', facts), GROUP_ABILITIES), ...nest(actor, facts) },
  };
};

export const resourceView = (deps: OpsDeps, actor: Actor, r: Resource): ResourceView => {
  const facts = itemFacts(deps, actor, r);
  return {
    ...r,
    abilities: { ...only(abilities(actor, 'item', facts), RESOURCE_ABILITIES), ...nest(actor, facts) },
  };
};

export interface ItemListFilter {
  query?: string | undefined;
  afterId?: string | undefined;
  limit: number;
}

export async function listGroups(deps: OpsDeps, actor: Actor, f: ItemListFilter): Promise<GroupView[]> {
  return (await storeListGroups(deps.db, f)).map((g) => groupView(deps, actor, g));
}

export async function getGroup(deps: OpsDeps, actor: Actor, id: string): Promise<GroupView> {
  const group = await findGroup(deps.db, id);
  if (!group) throw notFound('group', id);
  return groupView(deps, actor, group);
}

export async function listResources(deps: OpsDeps, actor: Actor, f: ItemListFilter): Promise<ResourceView[]> {
  return (await storeListResources(deps.db, f)).map((r) => resourceView(deps, actor, r));
}

export async function getResource(deps: OpsDeps, actor: Actor, id: string): Promise<ResourceView> {
  const resource = await findResource(deps.db, id);
  if (!resource) throw notFound('resource', id);
  return resourceView(deps, actor, resource);
}

/** A group's live edges (expired ones included, so owners see and can clean them), with who may remove each. */
export async function listAssets(deps: OpsDeps, actor: Actor, groupId: string): Promise<AssetView[]> {
  const group = await findGroup(deps.db, groupId);
  if (!group) throw notFound('group', groupId);
  return withAbilities(deps, actor, group, (await listAssetsOfGroup(deps.db, groupId)).map(toAsset));
}

/**
 * Everything a member of the group reaches now, through its live assets and theirs: groups, and resources at
 * a level, each with the chain of groups that leads to it. Shown to everyone who may see the group's assets.
 */
export async function groupContents(deps: OpsDeps, _actor: Actor, groupId: string): Promise<ReachedItem[]> {
  const group = await findGroup(deps.db, groupId);
  if (!group) throw notFound('group', groupId);
  return reachedItems(await liveEdgesReachableFrom(deps.db, groupId, deps.now()), groupId);
}

/** One edge as its group's listing shows it. */
export async function assetView(deps: OpsDeps, actor: Actor, asset: Asset): Promise<AssetView> {
  const group = await findGroup(deps.db, asset.groupId);
  if (!group) throw notFound('group', asset.groupId);
  return (await withAbilities(deps, actor, group, [asset]))[0]!;
}

async function withAbilities(
  deps: OpsDeps,
  actor: Actor,
  parent: Group,
  assets: Asset[],
): Promise<AssetView[]> {
  const children = new Map<string, Group | Resource>();
  const groupIds = assets.flatMap((a) => (a.assetGroupId ? [a.assetGroupId] : []));
  const resourceIds = assets.flatMap((a) => (a.assetResourceId ? [a.assetResourceId] : []));
  for (const c of await findGroupsByIds(deps.db, groupIds)) children.set(c.id, c);
  for (const c of await findResourcesByIds(deps.db, resourceIds)) children.set(c.id, c);
  const parentFacts = itemFacts(deps, actor, parent);
  return assets.map((a) => {
    const child = children.get(a.assetGroupId ?? a.assetResourceId!);
    const childFacts = child ? itemFacts(deps, actor, child) : { isOwner: false };
    const remove = can(actor, 'nesting', 'remove', { parent: parentFacts, child: childFacts });
    return { ...a, abilities: { remove } };
  });
}
