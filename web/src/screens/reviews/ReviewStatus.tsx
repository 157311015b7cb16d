import type { AccessReview } from '../../api/types';
import { formatDateTime } from '../../lib/time';

// Whether a campaign is open (until its deadline) or closed (and when).

export function ReviewStatus({ review }: { review: AccessReview }) {
  if (review.status === 'closed')
    return (
      <span>
        <span className="badge badge-ended">Closed</span>{' '}
        <span className="muted small">{formatDateTime(review.closedAt)}</span>
      </span>
    );
  const late = new Date(review.deadline).getTime() < Date.now();
  return (
    <span>
      <span className="badge badge-status-pending">Open</span>{' '}
      <span className="muted small">
        {late ? 'deadline passed' : 'until'} {formatDateTime(review.deadline)}
      </span>
    </span>
  );
}
