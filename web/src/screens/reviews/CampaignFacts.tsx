import type { AccessReview } from '../../api/types';
import { reviewerTypeLabel } from '../../lib/access-reviews';
import { useConnections } from '../../lib/connections';
import { useDirectory } from '../../lib/directory';
import { formatDateTime } from '../../lib/time';

// What a campaign covers and how it runs, in names: its scope, its reviewers, its deadline and what closing
// does; once closed, what closing did.

function ScopeText({ review }: { review: AccessReview }) {
  const dir = useDirectory();
  const { scope } = review;
  const connections = useConnections(scope.connectionIds.length > 0);
  if (scope.everything) return <>Every group and resource</>;
  const connectionName = (id: string) =>
    connections.data?.find((c) => c.id === id)?.name ?? 'a connected system';
  const parts = [
    ...scope.groupIds.map(dir.groupName),
    ...scope.resourceIds.map(dir.resourceName),
    ...scope.connectionIds.map((id) => `everything linked to ${connectionName(id)}`),
  ];
  return <>{parts.join(', ')}</>;
}

function ReviewersText({ review }: { review: AccessReview }) {
  const dir = useDirectory();
  const { reviewers } = review;
  const named = reviewers.type === 'users' ? `: ${reviewers.userIds.map(dir.userName).join(', ')}` : '';
  const fallback = reviewers.fallbackUserIds.length
    ? reviewers.fallbackUserIds.map(dir.userName).join(', ')
    : 'the admins';
  return (
    <>
      {reviewerTypeLabel[reviewers.type]}
      {named}. Rows nobody else may review go to {fallback}.
    </>
  );
}

function OutcomeText({ outcome }: { outcome: Record<string, number> }) {
  const parts = Object.entries(outcome).map(([effect, n]) => `${effect}: ${n}`);
  return <>{parts.length ? parts.join(', ') : 'No rows'}</>;
}

export function CampaignFacts({ review }: { review: AccessReview }) {
  const dir = useDirectory();
  const active = review.delegations.filter((d) => new Date(d.until).getTime() > Date.now());
  return (
    <dl className="facts">
      <dt>Covers</dt>
      <dd>
        <ScopeText review={review} />
      </dd>
      <dt>Reviewers</dt>
      <dd>
        <ReviewersText review={review} />
      </dd>
      <dt>Deadline</dt>
      <dd>{formatDateTime(review.deadline)}</dd>
      <dt>Rows</dt>
      <dd>
        {review.rowCount} listed, {review.progress.total} of them{' '}
        {review.progress.total === 1 ? 'needs' : 'need'} a decision
      </dd>
      <dt>At closing</dt>
      <dd>
        {review.autoRevokeUnreviewed
          ? 'Access nobody decided on is revoked.'
          : 'Access nobody decided on is kept.'}
      </dd>
      <dt>Own access</dt>
      <dd>
        {review.allowSelfReview
          ? 'Reviewers may decide their own access.'
          : 'Nobody decides their own access.'}
      </dd>
      <dt>Started</dt>
      <dd>
        {formatDateTime(review.createdAt)} by {dir.userName(review.createdBy)}
      </dd>
      {review.closedAt && (
        <>
          <dt>Closed</dt>
          <dd>
            {formatDateTime(review.closedAt)}{' '}
            {review.closedBy ? `by ${dir.userName(review.closedBy)}` : 'at its deadline'}
          </dd>
        </>
      )}
      {review.outcome && (
        <>
          <dt>What closing did</dt>
          <dd>
            <OutcomeText outcome={review.outcome} />
          </dd>
        </>
      )}
      {active.length > 0 && (
        <>
          <dt>Handed over</dt>
          <dd>
            <ul className="plain">
              {active.map((d) => (
                <li key={`${d.fromUserId}-${d.toUserId}`}>
                  {dir.userName(d.fromUserId)}’s rows to {dir.userName(d.toUserId)} until{' '}
                  {formatDateTime(d.until)}
                </li>
              ))}
            </ul>
          </dd>
        </>
      )}
    </dl>
  );
}
