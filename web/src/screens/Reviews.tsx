import { useState } from 'react';
import { api, ok } from '../api/client';
import type { AccessReview } from '../api/types';
import { Empty, ErrorNote, Loading } from '../components/Notice';
import { PageHeader } from '../components/PageHeader';
import { ProgressBar } from '../components/ProgressBar';
import { reviewsIn } from '../lib/access-reviews';
import { useDirectory } from '../lib/directory';
import { Link } from '../lib/router';
import { useLoad } from '../lib/use-load';
import { CampaignCard } from './reviews/CampaignCard';
import { ReviewRows } from './reviews/ReviewRows';
import { ReviewStatus } from './reviews/ReviewStatus';

// Access reviews: the rows waiting for the user's decision first, one open campaign at a time, then the
// campaigns with their progress (every campaign for admins and auditors, who start them; the ones they review
// for others).

const PAGE = 100;

function MyReview({ review, onDecided }: { review: AccessReview; onDecided: () => void }) {
  const mine = review.progress.byReviewer.filter((p) => review.actingFor.includes(p.reviewerId));
  const total = mine.reduce((n, p) => n + p.total, 0);
  const decided = mine.reduce((n, p) => n + p.decided, 0);
  const headingId = `my-review-${review.id}`;
  return (
    <section className="review-campaign" aria-labelledby={headingId}>
      <div className="card-head">
        <h3 id={headingId}>
          <Link to={`/reviews/${review.id}`}>{review.name}</Link>
        </h3>
        <ReviewStatus review={review} />
      </div>
      <ProgressBar label={`Your rows decided in ${review.name}`} done={decided} total={total} />
      <ReviewRows review={review} mine label={`Your rows in ${review.name}`} onDecided={onDecided} />
    </section>
  );
}

export function Reviews() {
  const dir = useDirectory();
  const runs = dir.me.abilities.createAccessReviews;
  const [more, setMore] = useState<{ items: AccessReview[]; cursor: string | null }>();
  const list = useLoad(() => {
    setMore(undefined);
    return ok(api.GET('/api/v1/access-reviews', { params: { query: { limit: PAGE } } }));
  }, []);

  async function loadMore() {
    const cursor = more ? more.cursor : list.data?.nextCursor;
    if (!cursor) return;
    const page = await ok(api.GET('/api/v1/access-reviews', { params: { query: { limit: PAGE, cursor } } }));
    setMore({ items: [...(more?.items ?? []), ...page.items], cursor: page.nextCursor });
  }

  const campaigns = [...(list.data?.items ?? []), ...(more?.items ?? [])];
  const toReview = campaigns.filter((r) => r.status === 'open' && reviewsIn(r));
  const hasMore = more ? more.cursor : list.data?.nextCursor;
  return (
    <>
      <PageHeader
        title="Access reviews"
        intro="Who still needs the access they have: reviewers keep or revoke it, and closing a campaign applies their decisions."
        actions={
          runs ? (
            <Link to="/reviews/new" className="button button-primary">
              Start a campaign
            </Link>
          ) : undefined
        }
      />
      <ErrorNote error={list.error} />
      {list.loading && !list.data && <Loading />}
      {list.data && (
        <>
          <section aria-labelledby="mine-heading">
            <h2 id="mine-heading">Waiting for your review</h2>
            {toReview.length === 0 ? (
              <Empty>No open campaign has rows for you to review.</Empty>
            ) : (
              toReview.map((r) => <MyReview key={r.id} review={r} onDecided={list.reload} />)
            )}
          </section>
          <section aria-labelledby="campaigns-heading">
            <h2 id="campaigns-heading">{runs ? 'Campaigns' : 'Campaigns you review in'}</h2>
            {campaigns.length === 0 ? (
              <Empty>
                {runs ? 'No campaign has been started yet.' : 'You have not been a reviewer in any campaign.'}
              </Empty>
            ) : (
              <ul className="card-list" aria-labelledby="campaigns-heading">
                {campaigns.map((r) => (
                  <CampaignCard key={r.id} review={r} />
                ))}
              </ul>
            )}
            {hasMore && (
              <button type="button" onClick={loadMore}>
                Load more campaigns
              </button>
            )}
          </section>
        </>
      )}
    </>
  );
}
