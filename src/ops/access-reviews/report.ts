import type { ReportLine, ReportTitle } from '../../domain/access-reviews/report-format.js';
import type { Actor } from '../../domain/users.js';
import {
  pageReviewRows,
  reviewersOfRows,
  reviewItems,
  type ReviewRowWithPath,
} from '../../store/access-review-rows.js';
import { itemNamesByIds } from '../../store/item-names.js';
import { findUsersByIds } from '../../store/users.js';
import type { OpsDeps } from '../shared/deps.js';
import { rowReviewers } from './queries.js';
import { rowEffect, rowPath } from './review-view.js';
import { visibleReview } from './visibility.js';

/** Rows read at a time: a report of any size holds one page in memory. */
const PAGE = 1000;

export interface Report {
  title: ReportTitle;
  /** The rows the caller may read, in row order, with names: read lazily, page after page, as they are sent. */
  lines: AsyncGenerator<ReportLine>;
}

async function* linesOf(deps: OpsDeps, reviewId: string, reviewerIds: string[] | undefined, closed: boolean) {
  for (let after = 0; ;) {
    const rows = await pageReviewRows(deps.db, reviewId, { reviewerIds, afterPosition: after, limit: PAGE });
    if (rows.length === 0) return;
    after = rows[rows.length - 1]!.position;
    yield* await namedLines(deps, reviewId, rows, closed);
    if (rows.length < PAGE) return;
  }
}

async function namedLines(
  deps: OpsDeps,
  reviewId: string,
  rows: ReviewRowWithPath[],
  closed: boolean,
): Promise<ReportLine[]> {
  const reviewers = await reviewersOfRows(
    deps.db,
    reviewId,
    rows.map((r) => r.position),
  );
  const userIds = rows.flatMap((r) => [r.user_id, ...(r.decided_by ? [r.decided_by] : [])]);
  const [users, items, groups] = await Promise.all([
    findUsersByIds(deps.db, [...new Set([...userIds, ...[...reviewers.values()].flat()])]),
    reviewItems(
      deps.db,
      reviewId,
      rows.map((r) => r.item_id),
    ),
    itemNamesByIds(deps.db, rows.flatMap(rowPath), []),
  ]);
  const email = new Map(users.map((u) => [u.id, u.email]));
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return rows.map((r) => {
    const item = items.get(r.item_id) ?? { type: r.group_id ? 'group' : 'resource', name: r.item_id };
    const path = rowPath(r).map((g) => groups.get(g) ?? g);
    return {
      userEmail: email.get(r.user_id) ?? r.user_id,
      itemType: item.type,
      itemName: item.name,
      accessLevel: r.access_level,
      path: r.resource_id ? [...path, item.name] : path,
      reviewerEmails: (reviewers.get(r.position) ?? []).map((id) => email.get(id) ?? id),
      decision: r.decision,
      keepUntil: iso(r.keep_until),
      decidedBy: r.decided_by ? (email.get(r.decided_by) ?? r.decided_by) : null,
      decidedAt: iso(r.decided_at),
      comment: r.comment,
      effect: rowEffect(r, closed),
    };
  });
}

/** Opens a campaign's report: refused (404) before anything is sent when the caller may not see it. */
export async function openReport(deps: OpsDeps, actor: Actor, reviewId: string): Promise<Report> {
  const now = deps.now();
  const access = await visibleReview(deps.db, actor, reviewId, now);
  const r = access.review;
  return {
    title: {
      name: r.name,
      status: r.status,
      deadline: r.deadline.toISOString(),
      closedAt: r.closed_at?.toISOString() ?? null,
      total: r.total,
      decided: r.decided,
    },
    lines: linesOf(deps, reviewId, rowReviewers(actor, access, undefined, now), r.status === 'closed'),
  };
}
