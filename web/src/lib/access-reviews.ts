import { useEffect, useState } from 'react';
import { api, ok } from '../api/client';
import type { AccessReview, AccessReviewRow, ReviewDecision, ReviewerType } from '../api/types';
import type { Directory } from './directory';

// Words and reads for access reviews: what a decision is called, how a row's access came about, whose rows
// the signed-in user decides (their own and those handed to them now), and the campaign's report files.

export const decisionLabel: Record<ReviewDecision, string> = {
  keep: 'Keep',
  revoke: 'Revoke',
  shorten: 'Shorten',
};

export const reviewerTypeLabel: Record<ReviewerType, string> = {
  owners: 'The owners of each item',
  admins: 'The admins',
  users: 'Named people',
};

/** The item a row is about, by name: a group, or a resource at its level. */
export const rowItemName = (row: AccessReviewRow, dir: Directory) =>
  dir.itemName({ groupId: row.groupId, resourceId: row.resourceId, accessLevel: row.accessLevel });

/** A row's item as a filter value. */
export const rowItemKey = (row: AccessReviewRow) =>
  row.groupId ? `g:${row.groupId}` : `r:${row.resourceId}:${row.accessLevel ?? ''}`;

/**
 * How the person came to have the item, in names: a grant on the item itself, or membership of a group the
 * item is nested under, written "A → B → item" as elsewhere in the app.
 */
export function rowPathText(row: AccessReviewRow, dir: Directory): string {
  const item = rowItemName(row, dir);
  if (!row.via.edge) return row.groupId ? `Member of ${item}` : `Granted ${item}`;
  const groups = row.via.path.filter((id) => id !== row.groupId).map(dir.groupName);
  return `Through nesting: ${[...groups, item].join(' → ')}`;
}

/** What revoking a row takes away: the grant, or the nesting edge for everyone who comes through it. */
export function revokeEffectText(row: AccessReviewRow, dir: Directory): string {
  const edge = row.via.edge;
  if (!edge) return `ends ${dir.userName(row.userId)}’s grant on ${rowItemName(row, dir)}`;
  return `takes ${rowItemName(row, dir)} out of ${dir.groupName(edge.parentGroupId)}, for everyone who has it through ${dir.groupName(edge.parentGroupId)}`;
}

/** Whether the user reviews rows of the campaign (their own or handed to them), as the API says. */
export const reviewsIn = (review: AccessReview) =>
  review.progress.byReviewer.some((p) => review.actingFor.includes(p.reviewerId)) ||
  review.actingFor.length > 1;

const PAGE = 500;
/** Rows read for one list at most; the screen says when there are more. */
export const ROW_CAP = PAGE * 20;

/** What the server narrows a campaign's rows to: one reviewer's, one decision (or none yet), one item. */
export interface RowsAsked {
  reviewerId?: string | undefined;
  decision?: ReviewDecision | 'undecided' | undefined;
  /** An item as rowItemKey names it. */
  item?: string | undefined;
}

/** The item a rowItemKey names, as the rows endpoint takes it (a resource's rows of every access level). */
function itemQuery(key: string | undefined): { groupId?: string; resourceId?: string } {
  if (!key) return {};
  const [kind, id] = key.split(':');
  return kind === 'g' ? { groupId: id! } : { resourceId: id! };
}

/** The rows of a campaign the server narrowed as asked, page by page up to ROW_CAP. */
export async function loadRows(
  reviewId: string,
  asked: RowsAsked,
): Promise<{ rows: AccessReviewRow[]; more: boolean }> {
  const { reviewerId, decision, item } = asked;
  const rows: AccessReviewRow[] = [];
  let cursor: string | undefined;
  while (rows.length < ROW_CAP) {
    const page = await ok(
      api.GET('/api/v1/access-reviews/{id}/rows', {
        params: {
          path: { id: reviewId },
          query: { reviewerId, decision, ...itemQuery(item), limit: PAGE, cursor },
        },
      }),
    );
    rows.push(...page.items);
    if (!page.nextCursor) return { rows, more: false };
    cursor = page.nextCursor;
  }
  return { rows, more: true };
}

/** The report of a campaign: the rows the user may read, with names, decisions and effects. */
export const reportHref = (reviewId: string, format: 'csv' | 'html') =>
  `/api/v1/access-reviews/${encodeURIComponent(reviewId)}/report?format=${format}`;

/**
 * Whether the navigation offers Reviews: to those who run campaigns, and to reviewers of an open campaign (asked
 * again as the user moves around, since a campaign may start meanwhile).
 */
export function useReviewsInNav(dir: Directory, path: string): boolean {
  const runs = dir.me.abilities.createAccessReviews;
  const [reviews, setReviews] = useState(false);
  useEffect(() => {
    if (runs) return;
    let current = true;
    ok(api.GET('/api/v1/access-reviews', { params: { query: { status: 'open', limit: 1 } } })).then(
      (page) => current && setReviews(page.items.length > 0),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [runs, path]);
  return runs || reviews;
}
