import { forbidden } from './errors.js';
import { canReadAll, isAdmin, type Actor } from './users.js';

// Who may do what to an item. Ownership is decided by the caller (named owner, or effective member of the owner
// group) and passed in, so these stay pure.

export interface ItemRelation {
  /** The actor is a named owner or an effective member of the item's owner group. */
  isOwner: boolean;
}

export const canManageItem = (actor: Actor, rel: ItemRelation) => isAdmin(actor) || rel.isOwner;
/** Members lists and grant histories: admins, auditors and the item's owners. */
export const canReadItemAccess = (actor: Actor, rel: ItemRelation) => canReadAll(actor) || rel.isOwner;

export function assertCanManageItem(actor: Actor, rel: ItemRelation, what: string) {
  if (!canManageItem(actor, rel)) throw forbidden(`only admins and the owners of this ${what} can do that`);
}

/** The holder may give up their own grant; owners and admins may end anyone's. */
export const canEndGrant = (actor: Actor, holderId: string, rel: ItemRelation) =>
  actor.id === holderId || canManageItem(actor, rel);

/** Access answers about a user: admins and auditors for anyone, a user about themself, owners about their item. */
export const canCheckAccess = (actor: Actor, userId: string, rel: ItemRelation) =>
  canReadAll(actor) || actor.id === userId || rel.isOwner;
