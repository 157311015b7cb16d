import type { AccessReview } from '../../api/types';
import { ProgressBar } from '../../components/ProgressBar';
import { useDirectory } from '../../lib/directory';

// Each reviewer's share of a campaign and how much of it they have decided.

export function ReviewerProgress({ review }: { review: AccessReview }) {
  const dir = useDirectory();
  const reviewers = review.progress.byReviewer;
  if (reviewers.length === 0) return null;
  return (
    <ul className="reviewer-progress" aria-label={`Progress of each reviewer of ${review.name}`}>
      {reviewers.map((p) => (
        <li key={p.reviewerId}>
          <span>{dir.userName(p.reviewerId)}</span>
          <ProgressBar label={`Decided by ${dir.userName(p.reviewerId)}`} done={p.decided} total={p.total} />
        </li>
      ))}
    </ul>
  );
}
