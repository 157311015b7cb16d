import { canReadAll, isAdmin, type Actor } from '../users.js';
import type {
  AccessQuestionFacts,
  AccessReviewFacts,
  AccessReviewRowFacts,
  AccountFacts,
  DirectoryFacts,
  HeldFacts,
  ItemFacts,
  NestingFacts,
  NoFacts,
  RequestFacts,
} from './facts.js';

// Who may do what, as one table per kind of object. Every operation and every read asks here, through
// `can` (policy.ts); the web UI receives the answers as abilities instead of re-deriving them.
//
// Roles: admins may do everything; auditors read everything and change nothing; members act on what they hold
// and on the items they own (named owner, or effective member of the item's owner group).

type Rule<F> = (actor: Actor, facts: F) => boolean;
type Rules<F> = Record<string, Rule<F>>;

const manages = (actor: Actor, item: ItemFacts) => isAdmin(actor) || item.isOwner;

/** Groups and resources. Everyone signed in sees the catalog of items; owners run their items. */
export const itemRules = {
  create: (a) => isAdmin(a),
  view: () => true,
  update: manages,
  delete: (a) => isAdmin(a),
  /** Grant access to the item, end others' access, see and change who holds it. */
  manageMembers: manages,
  /** Who has access and why: members, grants and the item's history. */
  readAccess: (a, f) => canReadAll(a) || f.isOwner,
  configureRequests: manages,
  configureBreakGlass: manages,
  setChannels: manages,
  setOnCallSchedules: manages,
  /** Review break-glass activations on the group and requests decided by its owners. */
  review: manages,
} satisfies Rules<ItemFacts>;

/**
 * An edge gives the parent's members the child: adding or removing one needs the right to manage both ends.
 * Owning only the parent would let an owner pull anyone's item (or its owner group) under their own group.
 */
export const nestingRules = {
  add: (a, f) => isAdmin(a) || (f.parent.isOwner && f.child.isOwner),
  remove: (a, f) => isAdmin(a) || (f.parent.isOwner && f.child.isOwner),
} satisfies Rules<NestingFacts>;

/** A grant: the holder may see and give up their own; the item's owners manage everyone's. */
export const grantRules = {
  view: (a, f) => canReadAll(a) || a.id === f.holderId || f.item.isOwner,
  revoke: (a, f) => a.id === f.holderId || manages(a, f.item),
  /** Asking for more time is the holder's own request; nobody extends someone else's access this way. */
  extend: (a, f) => a.id === f.holderId,
} satisfies Rules<HeldFacts>;

/** A break-glass activation on a group. */
export const activationRules = {
  view: (a, f) => canReadAll(a) || a.id === f.holderId || f.item.isOwner,
  end: (a, f) => a.id === f.holderId || manages(a, f.item),
  /** Owners and admins review; the activator never reviews their own, whatever their role. */
  review: (a, f) => a.id !== f.holderId && manages(a, f.item),
} satisfies Rules<HeldFacts>;

/** An access request. Deciding one is a reviewer's right for the current stage (requests feature). */
export const requestRules = {
  view: (a, f) =>
    canReadAll(a) || a.id === f.requesterId || a.id === f.targetUserId || f.isReviewer || f.ownsAnItem,
  /** Withdrawing a pending request: the one who asked, or the one it is for. */
  cancel: (a, f) => a.id === f.requesterId || a.id === f.targetUserId,
  /** Nobody reviews a request they made or that is for them, whatever their role. */
  decide: (a, f) => a.id !== f.requesterId && a.id !== f.targetUserId && f.isReviewer,
} satisfies Rules<RequestFacts>;

/** Requesting for someone else: admins, or owners of every item asked for. */
export const requestForOthersRules = {
  submit: (a, f) => isAdmin(a) || f.isOwner,
} satisfies Rules<ItemFacts>;

/** User accounts and their API tokens. */
export const accountRules = {
  create: (a) => isAdmin(a),
  /** A person's card (name, e-mail, role) by id: behind every name shown in requests, members and events. */
  view: () => true,
  update: (a) => isAdmin(a),
  /** Everything the user can access now. */
  readAccess: (a, f) => canReadAll(a) || a.id === f.userId,
  manageTokens: (a, f) => isAdmin(a) || a.id === f.userId,
} satisfies Rules<AccountFacts>;

/** The user directory as a whole. */
export const directoryRules = {
  /** Every account with its role and status. */
  list: (a) => canReadAll(a),
  /**
   * Find people by part of their name or e-mail, seeing name and e-mail only: for those who pick people for
   * what they run (members, break-glass users, reviewers, owners), without typing ids.
   */
  search: (a, f) => canReadAll(a) || f.picksPeople,
} satisfies Rules<DirectoryFacts>;

/** Whether a user has access to an item: about anyone for readers of everything, oneself, or one's own item. */
export const accessQuestionRules = {
  ask: (a, f) => canReadAll(a) || a.id === f.userId || f.item.isOwner,
} satisfies Rules<AccessQuestionFacts>;

/** On-call schedules: everyone may see who is on call; admins manage schedules and their credentials. */
export const scheduleRules = {
  view: () => true,
  manage: (a) => isAdmin(a),
  sync: (a) => isAdmin(a),
  readUnmatched: (a) => canReadAll(a),
  /**
   * A provider's own words about a failure are remote text Latch does not control (they may name internal
   * systems or accounts): for admins, who configure providers, and auditors, who read what admins read.
   */
  readProviderErrors: (a) => canReadAll(a),
  fetchLive: (a) => isAdmin(a),
} satisfies Rules<NoFacts>;

/** Notification channels and the outbox. Everyone may see which channels exist; their settings are admins'. */
export const channelRules = {
  view: () => true,
  viewSettings: (a) => canReadAll(a),
  manage: (a) => isAdmin(a),
  test: (a) => isAdmin(a),
  listNotices: (a) => isAdmin(a),
} satisfies Rules<NoFacts>;

/** The audit log: all of it for admins and auditors; others see events about themselves and their items. */
export const auditRules = {
  readAll: (a) => canReadAll(a),
  verify: (a) => canReadAll(a),
} satisfies Rules<NoFacts>;

/** Backups: a copy of everything, secrets sealed but present, so admins only. */
export const backupRules = {
  take: (a) => isAdmin(a),
} satisfies Rules<NoFacts>;

/** The identity provider's connection: SCIM tokens provision every user and group, so admins alone hold them. */
export const provisioningRules = {
  manageScimTokens: (a) => isAdmin(a),
} satisfies Rules<NoFacts>;

/**
 * Connected systems: admins configure and link them (a link makes Latch change a real system); auditors read
 * their settings and status. A target's own words about a failure are for admins, who can act on them.
 */
export const connectionRules = {
  view: (a) => canReadAll(a),
  manage: (a) => isAdmin(a),
  readTargetErrors: (a) => isAdmin(a),
} satisfies Rules<NoFacts>;

/**
 * Access review campaigns: admins and auditors run them (auditors review access as their job, and a campaign
 * changes access only through the decisions of the rows' reviewers); reviewers see the campaigns they review.
 */
export const accessReviewRules = {
  create: (a) => canReadAll(a),
  view: (a, f) => canReadAll(a) || f.isReviewer,
  /** Every row and every reviewer's progress; reviewers read their own rows. */
  readAllRows: (a) => canReadAll(a),
  /** Hand anyone's rows to another reviewer; reviewers hand over their own (see delegateOwn). */
  delegateAny: (a) => canReadAll(a),
  delegateOwn: (a, f) => f.isReviewer,
  close: (a) => canReadAll(a),
} satisfies Rules<AccessReviewFacts>;

/** Deciding a row is its reviewers' right; nobody reviews their own access unless the campaign allows it. */
export const accessReviewRowRules = {
  decide: (a, f) => f.isReviewer && (f.allowSelfReview || a.id !== f.userId),
} satisfies Rules<AccessReviewRowFacts>;
