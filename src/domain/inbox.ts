// The in-app inbox: what waits for a person, computed from the state itself, so it is always there whether or
// not any e-mail or chat channel is set up. An item is unread when it arrived after the person last read.

export type InboxKind = 'break_glass.review' | 'request.decide' | 'access.expiring';

/** Access counts as about to end this long before its end. */
export const EXPIRING_WITHIN_MS = 24 * 60 * 60 * 1000;

export interface InboxItem {
  kind: InboxKind;
  /** The activation, the request, or for access the item's key (group id, or resource id:level). */
  id: string;
  /** When it arrived in the inbox. */
  at: Date;
  /** When it must be done by, or when the access ends. */
  due: Date | null;
  overdue: boolean;
  /** Who it is about: the activator, the requester's target, or the reader for their own access. */
  userId: string;
  /** What it is about: the group, or each group and resource level a request asks for. */
  items: InboxTarget[];
  reason: string | null;
}

export interface InboxTarget {
  groupId: string | null;
  resourceId: string | null;
  accessLevel: string | null;
}

/**
 * When access ending at `end` enters the inbox: a day before its end. Access granted for less than a day is in
 * the inbox from the start, but counts as arrived then, so it is news only when it was read before.
 */
export const expiringSince = (end: Date): Date => new Date(end.getTime() - EXPIRING_WITHIN_MS);

export const isUnread = (item: Pick<InboxItem, 'at'>, seenThrough: Date | null): boolean =>
  seenThrough === null || item.at.getTime() > seenThrough.getTime();

/** Newest first; among equals, the ones due soonest. */
export function sortInbox(items: InboxItem[]): InboxItem[] {
  return [...items].sort(
    (a, b) =>
      b.at.getTime() - a.at.getTime() ||
      (a.due?.getTime() ?? Infinity) - (b.due?.getTime() ?? Infinity) ||
      a.id.localeCompare(b.id),
  );
}
