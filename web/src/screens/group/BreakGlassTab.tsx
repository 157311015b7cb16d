import { useState } from 'react';
import { api, ok } from '../../api/client';
import type { Activation, Group } from '../../api/types';
import { Countdown } from '../../components/Countdown';
import { Empty, ErrorNote, Loading } from '../../components/Notice';
import { useDirectory } from '../../lib/directory';
import { formatDateTime, formatMinutes } from '../../lib/time';
import { useLoad } from '../../lib/use-load';
import { BreakGlassSettingsForm } from './BreakGlassSettingsForm';
import { ReviewActivationDialog } from './ReviewActivationDialog';

// Who may break the glass on this group and for how long; every activation, with those still awaiting
// review highlighted and a Review button where the activation's abilities allow it.

export function BreakGlassTab({ group }: { group: Group }) {
  const dir = useDirectory();
  const [editing, setEditing] = useState(false);
  const [reviewing, setReviewing] = useState<Activation>();
  const settings = useLoad(
    () => ok(api.GET('/api/v1/groups/{id}/break-glass', { params: { path: { id: group.id } } })),
    [group.id],
  );
  const activations = useLoad(
    () =>
      ok(
        api.GET('/api/v1/break-glass/activations', { params: { query: { groupId: group.id, limit: 200 } } }),
      ),
    [group.id],
  );
  const s = settings.data;
  const list = [...(activations.data?.items ?? [])].reverse();
  const awaiting = list.filter((a) => a.review.status === 'pending').length;

  return (
    <>
      <section aria-labelledby="bg-heading">
        <div className="section-head">
          <h2 id="bg-heading">Break-glass users</h2>
          {group.abilities.configureBreakGlass && s && !editing && (
            <button type="button" onClick={() => setEditing(true)}>
              Edit break-glass users
            </button>
          )}
        </div>
        <ErrorNote error={settings.error} />
        {settings.loading && !s && <Loading />}
        {s && !editing && (
          <dl className="facts">
            <dt>People</dt>
            <dd>
              {s.userIds.length ? (
                s.userIds.map(dir.userName).join(', ')
              ) : (
                <span className="muted">none</span>
              )}
            </dd>
            <dt>Members of</dt>
            <dd>
              {s.groupIds.length ? (
                s.groupIds.map(dir.groupName).join(', ')
              ) : (
                <span className="muted">no groups</span>
              )}
            </dd>
            <dt>Access lasts</dt>
            <dd>{formatMinutes(s.durationMinutes)}</dd>
          </dl>
        )}
        {s && editing && (
          <BreakGlassSettingsForm
            groupId={group.id}
            settings={s}
            onDone={(saved) => {
              setEditing(false);
              if (saved) settings.setData(saved);
            }}
          />
        )}
      </section>
      <section aria-labelledby="activations-heading">
        <h2 id="activations-heading">
          Activations {awaiting > 0 && <span className="badge badge-warn">{awaiting} awaiting review</span>}
        </h2>
        <ErrorNote error={activations.error} />
        {activations.data && list.length === 0 && <Empty>Nobody has broken the glass on this group.</Empty>}
        {list.length > 0 && (
          <ul className="card-list">
            {list.map((a) => {
              const pending = a.review.status === 'pending';
              return (
                <li key={a.id} className={pending ? 'card card-attention' : 'card'}>
                  <div className="card-head">
                    <h3 id={`activation-${a.id}`}>
                      {dir.userName(a.userId)} · {formatDateTime(a.activatedAt)}
                    </h3>
                    {pending ? (
                      <span className="badge badge-warn">
                        {a.review.overdue ? 'Review overdue' : 'Awaiting review'}
                      </span>
                    ) : (
                      <span className={`badge ${a.review.status === 'justified' ? 'badge-ok' : 'badge-bad'}`}>
                        {a.review.status}
                      </span>
                    )}
                  </div>
                  <p>
                    <strong>Reason:</strong> {a.reason}
                  </p>
                  <p className="small">
                    {a.status === 'active' ? (
                      <Countdown expiresAt={a.expiresAt} />
                    ) : (
                      `Ended ${formatDateTime(a.endedAt ?? a.expiresAt)}${a.endReason ? ` (${a.endReason})` : ''}`
                    )}
                  </p>
                  {a.review.comment && (
                    <p className="small">
                      Review by {dir.userName(a.review.reviewedBy)}: {a.review.comment}
                    </p>
                  )}
                  {pending && a.abilities.review && (
                    <button
                      type="button"
                      className="button-primary"
                      aria-describedby={`activation-${a.id}`}
                      onClick={() => setReviewing(a)}
                    >
                      Review
                    </button>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </section>
      {reviewing && (
        <ReviewActivationDialog
          activation={reviewing}
          onClose={(done) => {
            setReviewing(undefined);
            if (done) activations.reload();
          }}
        />
      )}
    </>
  );
}
