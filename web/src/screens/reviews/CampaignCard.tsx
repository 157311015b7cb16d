import type { AccessReview } from '../../api/types';
import { ProgressBar } from '../../components/ProgressBar';
import { Link } from '../../lib/router';
import { ReviewerProgress } from './ReviewerProgress';
import { ReviewStatus } from './ReviewStatus';

// One campaign in the list: its name (a link to its page), status, and progress overall and by reviewer.

export function CampaignCard({ review }: { review: AccessReview }) {
  return (
    <li className="card">
      <div className="card-head">
        <h3>
          <Link to={`/reviews/${review.id}`}>{review.name}</Link>
        </h3>
        <ReviewStatus review={review} />
      </div>
      <ProgressBar
        label={`Decided in ${review.name}`}
        done={review.progress.decided}
        total={review.progress.total}
      />
      <ReviewerProgress review={review} />
    </li>
  );
}
