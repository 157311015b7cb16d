// Who reviews a row. A row's reviewers are the reviewers its item starts from (its owners, the admins or the
// named users), without the row's own user unless the campaign allows self-review; when that leaves nobody, the
// fallback reviewers take the row, again without its own user. The snapshot's SQL assigns rows by this rule
// (src/store/access-review-snapshot.ts); a test compares the two.

export function rowReviewers(
  primary: readonly string[],
  fallback: readonly string[],
  rowUserId: string,
  allowSelfReview: boolean,
): string[] {
  const eligible = (ids: readonly string[]) =>
    [...new Set(ids)].filter((id) => allowSelfReview || id !== rowUserId);
  const first = eligible(primary);
  return first.length > 0 ? first : eligible(fallback);
}

/** Whom a person acts for while deciding: themself, and every reviewer whose rows are delegated to them now. */
export function actingFor(
  userId: string,
  delegations: readonly { fromUserId: string; toUserId: string; until: Date }[],
  now: Date,
): string[] {
  const from = delegations
    .filter((d) => d.toUserId === userId && d.until.getTime() > now.getTime())
    .map((d) => d.fromUserId);
  return [...new Set([userId, ...from])];
}
