import { can } from '../../domain/policy/policy.js';
import type { Actor } from '../../domain/users.js';
import type { OpsDeps } from './deps.js';
import { itemsOwnedBy } from './ownership.js';

/** Rows a ledger listing (grants, requests, activations) shows: the reader's own and those on items they own. */
export interface ListScope {
  userId: string;
  itemIds: string[];
}

/** Undefined (no restriction) for readers of everything. */
export async function listScopeFor(deps: OpsDeps, actor: Actor): Promise<ListScope | undefined> {
  if (can(actor, 'audit', 'readAll', {})) return undefined;
  return { userId: actor.id, itemIds: await itemsOwnedBy(deps, actor.id, deps.now()) };
}
