import { api, ok } from '../../api/client';
import type { AccessReviewRow, ReviewDecision } from '../../api/types';

// Records one decision on rows of a campaign; answers the rows as they are now.

export interface DecisionInput {
  rowIds: string[];
  decision: ReviewDecision;
  keepUntil?: string;
  comment?: string;
}

export async function decide(reviewId: string, body: DecisionInput): Promise<AccessReviewRow[]> {
  const res = await ok(
    api.POST('/api/v1/access-reviews/{id}/decisions', { params: { path: { id: reviewId } }, body }),
  );
  return res.items;
}
