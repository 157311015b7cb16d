import { useId, useState } from 'react';
import { api, ok } from '../api/client';
import type { AccessRequest } from '../api/types';
import { Contents } from '../components/Contents';
import { Field } from '../components/Field';
import { ErrorNote } from '../components/Notice';
import { useDirectory, type Directory } from '../lib/directory';
import { formatDateTime, formatMinutes } from '../lib/time';

// One access request: who wants what, for how long and why, and its history (each approval, the decision, an
// automatic approval as such). Reviewers approve or deny it with a comment (required to deny); the requester
// can withdraw it while it is pending.

const statusText: Record<AccessRequest['status'], string> = {
  pending: 'Pending',
  approved: 'Approved',
  denied: 'Denied',
  partially_approved: 'Partly approved',
  canceled: 'Withdrawn',
  expired: 'Lapsed',
};

interface Props {
  request: AccessRequest;
  mode: 'review' | 'mine';
  /** After a change, with a sentence confirming what was done. */
  onChanged: (done: string) => void;
}

interface Step {
  at: string;
  text: string;
}

/** What happened to the request, oldest first, in sentences with names. */
function history(request: AccessRequest, dir: Directory): Step[] {
  const steps: Step[] = [];
  const asker = dir.userName(request.requesterId);
  const target = dir.userName(request.targetUserId);
  steps.push({
    at: request.createdAt,
    text:
      request.requesterId === request.targetUserId
        ? `${asker} asked${request.reason ? `: “${request.reason}”` : ''}`
        : `${asker} asked for ${target}${request.reason ? `: “${request.reason}”` : ''}`,
  });
  const several = request.items.length > 1;
  for (const item of request.items) {
    const on = several ? ` ${dir.itemName(item)}` : '';
    const stages = item.reviewerStages.length;
    for (const a of item.approvals)
      steps.push({
        at: a.at,
        text: `${dir.userName(a.userId)} approved${on}${stages > 1 ? ` (stage ${a.stageIndex + 1} of ${stages})` : ''}${a.comment ? `: “${a.comment}”` : ''}`,
      });
    if (item.autoApprove && item.status === 'approved')
      steps.push({
        at: item.decidedAt ?? request.createdAt,
        text: `Approved${on} automatically, by its configuration`,
      });
    else if (item.status === 'denied' && item.decidedAt)
      steps.push({
        at: item.decidedAt,
        text: `${dir.userName(item.decidedBy)} denied${on}${item.comment ? `: “${item.comment}”` : ''}`,
      });
    else if (item.status === 'approved' && item.decidedAt && item.approvals.length === 0)
      steps.push({
        at: item.decidedAt,
        text: `${dir.userName(item.decidedBy)} approved${on}${item.comment ? `: “${item.comment}”` : ''}`,
      });
  }
  if (request.status === 'canceled' && request.decidedAt)
    steps.push({ at: request.decidedAt, text: `${dir.userName(request.canceledBy)} withdrew it` });
  if (request.status === 'expired' && request.decidedAt)
    steps.push({ at: request.decidedAt, text: 'It lapsed without a decision' });
  return steps.sort((a, b) => a.at.localeCompare(b.at));
}

export function RequestCard({ request, mode, onChanged }: Props) {
  const dir = useDirectory();
  const titleId = useId();
  const [comment, setComment] = useState('');
  const [commentError, setCommentError] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const items = request.items.map((i) => dir.itemName(i)).join(', ');
  const forOther = request.targetUserId !== request.requesterId;

  async function act(kind: 'approve' | 'deny' | 'cancel') {
    setError(undefined);
    const text = comment.trim();
    if (kind === 'deny' && !text) return setCommentError('Say why you deny it; the requester sees this.');
    setCommentError(undefined);
    setBusy(true);
    try {
      const path = { id: request.id };
      if (kind === 'approve')
        await ok(
          api.POST('/api/v1/requests/{id}/approve', {
            params: { path },
            body: text ? { comment: text } : {},
          }),
        );
      else if (kind === 'deny')
        await ok(api.POST('/api/v1/requests/{id}/deny', { params: { path }, body: { comment: text } }));
      else await ok(api.POST('/api/v1/requests/{id}/cancel', { params: { path }, body: {} }));
      const who = dir.userName(request.targetUserId);
      onChanged(
        kind === 'approve'
          ? `You approved ${who}’s request for ${items}.`
          : kind === 'deny'
            ? `You denied ${who}’s request for ${items}; they see your comment.`
            : `Your request for ${items} was withdrawn.`,
      );
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <li className="card" aria-labelledby={titleId}>
      <div className="card-head">
        <h3 id={titleId}>{mode === 'review' ? `${dir.userName(request.targetUserId)}: ${items}` : items}</h3>
        <span className={`badge badge-status-${request.status}`}>{statusText[request.status]}</span>
      </div>
      <dl className="facts">
        {mode === 'review' && forOther && (
          <>
            <dt>Asked by</dt>
            <dd>{dir.userName(request.requesterId)}</dd>
          </>
        )}
        <dt>Duration</dt>
        <dd>{formatMinutes(request.durationMinutes)}</dd>
        <dt>Reason</dt>
        <dd>{request.reason || <span className="muted">none given</span>}</dd>
        <dt>Asked</dt>
        <dd>{formatDateTime(request.createdAt)}</dd>
        {request.status === 'pending' && (
          <>
            <dt>Lapses</dt>
            <dd>{formatDateTime(request.expiresAt)}</dd>
          </>
        )}
        {request.extensionOf && (
          <>
            <dt>Kind</dt>
            <dd>Extension of an existing grant</dd>
          </>
        )}
        {mode === 'review' &&
          request.items[0]?.currentStage &&
          request.items[0].reviewerStages.length > 1 && (
            <>
              <dt>Stage</dt>
              <dd>
                {request.items[0].currentStage.index + 1} of {request.items[0].reviewerStages.length}
              </dd>
            </>
          )}
      </dl>
      {mode === 'review' &&
        request.items
          .filter((i) => i.groupId && i.status === 'pending')
          .map((i) => <Contents key={i.id} groupId={i.groupId!} />)}
      <details className="history" open={mode === 'mine' && request.status !== 'pending'}>
        <summary>History</summary>
        <ol className="plain">
          {history(request, dir).map((s, i) => (
            <li key={i}>
              <time dateTime={s.at} className="muted small">
                {formatDateTime(s.at)}
              </time>{' '}
              {s.text}
            </li>
          ))}
        </ol>
      </details>
      {mode === 'review' && (
        <div className="review">
          <Field label="Comment" error={commentError} hint="Optional to approve, required to deny.">
            {(props) => (
              <textarea
                {...props}
                rows={2}
                maxLength={2000}
                value={comment}
                onChange={(e) => setComment(e.target.value)}
              />
            )}
          </Field>
          <div className="row-actions">
            <button
              type="button"
              className="button-primary"
              aria-describedby={titleId}
              disabled={busy}
              onClick={() => act('approve')}
            >
              Approve
            </button>
            <button
              type="button"
              className="button-danger-quiet"
              aria-describedby={titleId}
              disabled={busy}
              onClick={() => act('deny')}
            >
              Deny
            </button>
          </div>
        </div>
      )}
      {mode === 'mine' && request.status === 'pending' && (
        <div className="row-actions">
          <button
            type="button"
            className="button-quiet"
            aria-describedby={titleId}
            disabled={busy}
            onClick={() => act('cancel')}
          >
            Withdraw
          </button>
        </div>
      )}
      <ErrorNote error={error} />
    </li>
  );
}
