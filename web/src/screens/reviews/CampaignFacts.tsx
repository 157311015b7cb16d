import { useEffect, useRef, useState } from 'react';
import { api, ok } from '../../api/client';
import { ApiError } from '../../api/errors';
import type { AccessReview } from '../../api/types';
import { ErrorNote, Success } from '../../components/Notice';
import { reviewerTypeLabel } from '../../lib/access-reviews';
import { useConnections } from '../../lib/connections';
import { useDirectory } from '../../lib/directory';
import { formatDateTime } from '../../lib/time';

// What a campaign covers and how it runs, in names: its scope, its reviewers, its deadline and what closing
// does; once closed, what closing did. Rows handed over are listed with a way to take them back, for those the
// campaign's abilities allow (the reviewer for their own rows, admins and auditors for anyone's).

type Delegation = AccessReview['delegations'][number];

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

/** The rows handed over now, each in words, with "Take back" where the caller may end the handover. */
function HandedOver({
  review,
  active,
  onTakeBack,
  busy,
}: {
  review: AccessReview;
  active: Delegation[];
  onTakeBack: (d: Delegation) => void;
  busy: boolean;
}) {
  const dir = useDirectory();
  const me = dir.me.id;
  const { delegateOwn, delegateAny } = review.abilities;
  const whose = (id: string) => (id === me ? 'Your rows' : `${dir.userName(id)}’s rows`);
  return (
    <ul className="plain">
      {active.map((d) => (
        <li key={d.fromUserId}>
          {whose(d.fromUserId)} to {dir.userName(d.toUserId)} until {formatDateTime(d.until)}
          {review.status === 'open' && (delegateAny || (delegateOwn && d.fromUserId === me)) && (
            <>
              {' '}
              <button
                type="button"
                className="button-small"
                aria-label={`Take back ${d.fromUserId === me ? 'your rows' : whose(d.fromUserId)} from ${dir.userName(d.toUserId)}`}
                disabled={busy}
                onClick={() => onTakeBack(d)}
              >
                Take back
              </button>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

export function CampaignFacts({ review, onChanged }: { review: AccessReview; onChanged: () => void }) {
  const dir = useDirectory();
  const active = review.delegations.filter((d) => new Date(d.until).getTime() > Date.now());
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<string>();
  const [error, setError] = useState<unknown>();
  const notice = useRef<HTMLDivElement>(null);
  // The button pressed goes away with its handover: focus moves to what happened instead of the page's top.
  useEffect(() => {
    if (said) notice.current?.focus();
  }, [said]);

  async function takeBack(d: Delegation) {
    setBusy(true);
    setSaid(undefined);
    setError(undefined);
    try {
      await ok(
        api.DELETE('/api/v1/access-reviews/{id}/delegations/{fromUserId}', {
          params: { path: { id: review.id, fromUserId: d.fromUserId } },
        }),
      );
      setSaid(
        d.fromUserId === dir.me.id
          ? `Your rows are back with you; ${dir.userName(d.toUserId)} no longer decides them.`
          : `${dir.userName(d.fromUserId)}’s rows are back with them; ${dir.userName(d.toUserId)} no longer decides them.`,
      );
      onChanged();
    } catch (err) {
      setError(err);
      // Already over (it ran out, or someone else took the rows back): show the campaign as it is now.
      if (err instanceof ApiError && err.code === 'not_found') onChanged();
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
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
              <HandedOver review={review} active={active} onTakeBack={takeBack} busy={busy} />
            </dd>
          </>
        )}
      </dl>
      <ErrorNote error={error} context="The rows were not taken back." />
      {said && (
        <div ref={notice} tabIndex={-1}>
          <Success>
            <p>{said}</p>
          </Success>
        </div>
      )}
    </>
  );
}
