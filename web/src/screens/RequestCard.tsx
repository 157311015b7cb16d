import { useId, useState } from 'react';
import { api, ok } from '../api/client';
import type { AccessRequest } from '../api/types';
import { Field } from '../components/Field';
import { ErrorNote } from '../components/Notice';
import { useDirectory } from '../lib/directory';
import { formatDateTime, formatMinutes } from '../lib/time';

// One access request: who wants what, for how long and why. Reviewers approve or deny it with a comment
// (required to deny); the requester can withdraw it while it is pending.

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
  onChanged: () => void;
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
      onChanged();
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
        {request.items.some((i) => i.comment) && (
          <>
            <dt>Reviewer’s comment</dt>
            <dd>
              {request.items
                .map((i) => i.comment)
                .filter(Boolean)
                .join(' / ')}
            </dd>
          </>
        )}
      </dl>
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
