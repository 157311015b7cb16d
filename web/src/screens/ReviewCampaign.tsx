import { useState } from 'react';
import { api, ok } from '../api/client';
import { ErrorNote, Loading, Success } from '../components/Notice';
import { PageHeader } from '../components/PageHeader';
import { ProgressBar } from '../components/ProgressBar';
import { reviewsIn } from '../lib/access-reviews';
import { Link } from '../lib/router';
import { useLoad } from '../lib/use-load';
import { CampaignFacts } from './reviews/CampaignFacts';
import { CloseCampaignButton } from './reviews/CloseCampaignButton';
import { HandOverRows } from './reviews/HandOverRows';
import { ReportLinks } from './reviews/ReportLinks';
import { ReviewerProgress } from './reviews/ReviewerProgress';
import { ReviewRows } from './reviews/ReviewRows';
import { ReviewStatus } from './reviews/ReviewStatus';

// One campaign: what it covers, its progress overall and by reviewer, its report, and its rows. Admins and
// auditors read every row and close it; reviewers see and decide their own rows. While it is open, rows may be
// handed to someone else for a while and taken back.

export function ReviewCampaign({ id }: { id: string }) {
  const review = useLoad(
    () => ok(api.GET('/api/v1/access-reviews/{id}', { params: { path: { id } } })),
    [id],
  );
  const [closedNow, setClosedNow] = useState(false);
  const r = review.data;
  const reviews = r ? reviewsIn(r) : false;
  const readAll = r?.abilities.readAllRows ?? false;

  return (
    <>
      <p className="breadcrumb">
        <Link to="/reviews">All access reviews</Link>
      </p>
      <PageHeader
        title={r?.name ?? 'Access review'}
        intro={r ? <ReviewStatus review={r} /> : undefined}
        actions={
          r?.abilities.close ? (
            <CloseCampaignButton
              review={r}
              onClosed={(closed) => {
                review.setData(closed);
                setClosedNow(true);
              }}
            />
          ) : undefined
        }
      />
      <ErrorNote error={review.error} />
      {review.loading && !r && <Loading />}
      {r && (
        <>
          {closedNow && (
            <Success>
              <p>The campaign is closed and its decisions were applied.</p>
            </Success>
          )}
          <section aria-labelledby="progress-heading">
            <h2 id="progress-heading">Progress</h2>
            <ProgressBar label={`Decided in ${r.name}`} done={r.progress.decided} total={r.progress.total} />
            <ReviewerProgress review={r} />
            <ReportLinks reviewId={r.id} />
          </section>
          <section aria-labelledby="about-heading">
            <h2 id="about-heading">About this campaign</h2>
            <CampaignFacts review={r} onChanged={review.reload} />
          </section>
          {r.status === 'open' && (r.abilities.delegateOwn || r.abilities.delegateAny) && (
            <HandOverRows review={r} onHandedOver={review.reload} />
          )}
          <section aria-labelledby="rows-heading">
            <h2 id="rows-heading">{readAll ? 'All rows' : 'Your rows'}</h2>
            {readAll && !reviews && r.status === 'open' && (
              <p className="muted small">
                You are not a reviewer in this campaign: its reviewers decide its rows.
              </p>
            )}
            <ReviewRows
              key={r.status}
              review={r}
              mine={!readAll}
              label={readAll ? 'All rows' : 'Your rows'}
              onDecided={review.reload}
            />
          </section>
        </>
      )}
    </>
  );
}
