import { canReadAll, type User } from '../domain/users.js';

export interface OwnedItems {
  /** Items a user owns now: as a named owner or through the owner group. */
  ownedItemIds(user: User): Promise<string[]>;
}

export interface ListScope {
  userId: string;
  itemIds: string[];
}

/**
 * What a ledger listing (grants, requests, activations) shows a caller: everything for admins and auditors
 * (undefined: no restriction), otherwise their own rows and those on items they own.
 */
export async function listScopeFor(user: User, owned: OwnedItems): Promise<ListScope | undefined> {
  return canReadAll(user) ? undefined : { userId: user.id, itemIds: await owned.ownedItemIds(user) };
}
