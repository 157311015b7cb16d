import type { AccessReviewRow } from '../../api/types';
import { decisionLabel } from '../../lib/access-reviews';
import { useDirectory } from '../../lib/directory';
import { formatDateTime } from '../../lib/time';

// Where a row stands: not decided yet (or needing no decision, as it ends before the deadline), or the decision
// with its date, comment and who made it.

export function DecisionState({ row }: { row: AccessReviewRow }) {
  const dir = useDirectory();
  if (!row.decision)
    return row.needsDecision ? (
      <span className="badge badge-status-pending">Not decided</span>
    ) : (
      <span className="muted small">No decision needed: it ends before the deadline</span>
    );
  return (
    <div className="decision-cell">
      <span className={`badge badge-${row.decision}`}>{decisionLabel[row.decision]}</span>
      {row.decision === 'shorten' && row.keepUntil && <> until {formatDateTime(row.keepUntil)}</>}
      {row.comment && <q className="decision-comment">{row.comment}</q>}
      <span className="muted small">
        {' '}
        by {dir.userName(row.decidedBy)}
        {row.decidedAt ? `, ${formatDateTime(row.decidedAt)}` : ''}
      </span>
    </div>
  );
}
