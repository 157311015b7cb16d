import { api, ok } from '../api/client';
import { useState } from 'react';
import { Empty, ErrorNote, Loading, Success } from '../components/Notice';
import { PageHeader } from '../components/PageHeader';
import { useDirectory } from '../lib/directory';
import { Link } from '../lib/router';
import { useLoad } from '../lib/use-load';
import { RequestCard } from './RequestCard';

// Requests waiting for my review come first (that is what needs doing), then my own.

export function Requests() {
  const dir = useDirectory();
  const me = dir.me.id;
  const [done, setDone] = useState<string>();
  const changed = (said: string) => {
    setDone(said);
    data.reload();
  };
  const data = useLoad(async () => {
    const [reviewable, mine, activations] = await Promise.all([
      ok(api.GET('/api/v1/requests', { params: { query: { reviewable: true, limit: 200 } } })),
      ok(api.GET('/api/v1/requests', { params: { query: { requesterId: me, limit: 200 } } })),
      ok(
        api.GET('/api/v1/break-glass/activations', { params: { query: { review: 'pending', limit: 200 } } }),
      ),
    ]);
    const toReview = activations.items.filter((a) => a.abilities.review);
    return { reviewable: reviewable.items, mine: [...mine.items].reverse(), activations: toReview };
  }, [me]);

  return (
    <>
      <PageHeader title="Requests" intro="Requests waiting for your decision, and the ones you made." />
      {done && <Success>{done}</Success>}
      <ErrorNote error={data.error} />
      {data.loading && !data.data && <Loading />}
      {data.data && (
        <>
          <section aria-labelledby="review-heading">
            <h2 id="review-heading">Waiting for your review ({data.data.reviewable.length})</h2>
            {data.data.reviewable.length === 0 ? (
              <Empty>Nothing is waiting for you.</Empty>
            ) : (
              <ul className="card-list">
                {data.data.reviewable.map((r) => (
                  <RequestCard key={r.id} request={r} mode="review" onChanged={changed} />
                ))}
              </ul>
            )}
          </section>
          {data.data.activations.length > 0 && (
            <section aria-labelledby="bg-review-heading">
              <h2 id="bg-review-heading">
                Break-glass activations to review ({data.data.activations.length})
              </h2>
              <ul className="plain link-list">
                {data.data.activations.map((a) => (
                  <li key={a.id}>
                    <Link to={`/inventory/groups/${a.groupId}/break-glass`}>
                      {dir.userName(a.userId)} on {dir.groupName(a.groupId)}
                    </Link>
                    {a.review.overdue && <span className="badge badge-warn">overdue</span>}
                  </li>
                ))}
              </ul>
            </section>
          )}
          <section aria-labelledby="mine-heading">
            <h2 id="mine-heading">Your requests</h2>
            {data.data.mine.length === 0 ? (
              <Empty>
                You have not asked for anything yet. Start from the <Link to="/catalog">catalog</Link>.
              </Empty>
            ) : (
              <ul className="card-list">
                {data.data.mine.map((r) => (
                  <RequestCard key={r.id} request={r} mode="mine" onChanged={changed} />
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </>
  );
}
