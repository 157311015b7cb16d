import { useRef, useState } from 'react';
import { api, ok } from '../../api/client';
import type { AccessReview } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';

// Closing a campaign before its deadline applies its decisions now, so it is confirmed first, saying what will
// happen to the rows nobody decided.

interface Props {
  review: AccessReview;
  onClosed: (review: AccessReview) => void;
}

export function CloseCampaignButton({ review, onClosed }: Props) {
  const [confirming, setConfirming] = useState(false);
  const undecided = review.progress.total - review.progress.decided;
  const closed = useRef<AccessReview | undefined>(undefined);
  return (
    <>
      <button type="button" className="button-danger-quiet" onClick={() => setConfirming(true)}>
        Close campaign…
      </button>
      {confirming && (
        <ConfirmDialog
          title={`Close ${review.name}?`}
          confirm="Close campaign"
          danger
          onConfirm={async () => {
            closed.current = await ok(
              api.POST('/api/v1/access-reviews/{id}/close', { params: { path: { id: review.id } } }),
            );
          }}
          onClose={(done) => {
            setConfirming(false);
            if (done && closed.current) onClosed(closed.current);
          }}
        >
          <p>
            Its decisions take effect now: revoked access ends and shortened access gets its new end. Nobody
            can decide its rows after this.
          </p>
          {undecided > 0 && (
            <p>
              <strong>
                {undecided} {undecided === 1 ? 'row has' : 'rows have'} no decision yet
              </strong>
              : {review.autoRevokeUnreviewed ? 'that access is revoked.' : 'that access is kept.'}
            </p>
          )}
        </ConfirmDialog>
      )}
    </>
  );
}
