// What a policy rule may know about the actor's relation to an object. Computed in one place from the access
// index and the store (src/ops/shared/authorization.ts) and passed in, so the rules stay pure.

/** The actor's relation to a group or resource. */
export interface ItemFacts {
  /** A named owner, or an effective member of the item's owner group, now. */
  isOwner: boolean;
}

/** A nesting edge joins two items: the group that gets the asset, and the asset (a group or a resource). */
export interface NestingFacts {
  parent: ItemFacts;
  child: ItemFacts;
}

/** A grant, or a break-glass activation: whose access it is, on which item. */
export interface HeldFacts {
  holderId: string;
  item: ItemFacts;
}

export interface RequestFacts {
  requesterId: string;
  targetUserId: string;
  /** Named by a stage of the request (directly or through a group), or a stored reviewer of a started stage. */
  isReviewer: boolean;
  /** Owns one of the requested items now. */
  ownsAnItem: boolean;
}

/** Another user's account, or one's own: `userId` is whose it is. */
export interface AccountFacts {
  userId: string;
}

/** The user directory, as someone picking people for something they run sees it. */
export interface DirectoryFacts {
  /**
   * Owns a group or resource now, is asked to review a pending request, or reviews rows of an open access review
   * (which they may hand to someone): picks people for it.
   */
  picksPeople: boolean;
}

/** An access question about a user on an item. */
export interface AccessQuestionFacts {
  userId: string;
  item: ItemFacts;
}

/** Objects that only admins (or admins and auditors) handle need no facts. */
export type NoFacts = Record<string, never>;

/** An access review campaign, as someone it may involve sees it. */
export interface AccessReviewFacts {
  /** Has rows of the campaign to review, their own or delegated to them now. */
  isReviewer: boolean;
}

/** One row of a campaign: whose access it is, and whether the actor reviews it. */
export interface AccessReviewRowFacts {
  userId: string;
  /** One of the row's reviewers, or acting for one by delegation now. */
  isReviewer: boolean;
  allowSelfReview: boolean;
}
