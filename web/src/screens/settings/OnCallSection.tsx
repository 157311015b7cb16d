import { useState } from 'react';
import { api, ok } from '../../api/client';
import { ApiError } from '../../api/errors';
import type { OnCallSchedule } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Empty, ErrorNote, Loading } from '../../components/Notice';
import { useDirectory } from '../../lib/directory';
import { formatDateTime } from '../../lib/time';
import { useLoad } from '../../lib/use-load';
import { EditRotationForm } from './EditRotationForm';
import { NewScheduleForm } from './NewScheduleForm';
import { ScheduleTimeline } from './ScheduleTimeline';

// On-call schedules: built-in rotations or feeds from iCal, PagerDuty and Opsgenie. Groups pick them on
// their On-call tab; whoever is on call becomes a member for the shift.

function OnCallNow({ schedule }: { schedule: OnCallSchedule }) {
  const dir = useDirectory();
  const now = useLoad(
    () => ok(api.GET('/api/v1/on-call-schedules/{id}/on-call', { params: { path: { id: schedule.id } } })),
    [schedule.id],
  );
  if (now.error) return <span className="muted small">Who is on call is not known.</span>;
  if (!now.data) return null;
  if (now.data.items.length === 0) return <span className="muted small">Nobody is on call now.</span>;
  return (
    <span className="small">
      On call now:{' '}
      {now.data.items.map((s) => `${dir.userName(s.userId)} (until ${formatDateTime(s.end)})`).join(', ')}
    </span>
  );
}

export function OnCallSection() {
  const { manageSchedules, syncSchedules } = useDirectory().me.abilities;
  const list = useLoad(
    () => ok(api.GET('/api/v1/on-call-schedules', { params: { query: { limit: 200 } } })),
    [],
  );
  const [error, setError] = useState<unknown>();
  const [deleting, setDeleting] = useState<OnCallSchedule>();
  const [editing, setEditing] = useState<string>();
  // Timelines are read when opened, not for every schedule on the page.
  const [previewing, setPreviewing] = useState<string[]>([]);
  const unavailable = list.error instanceof ApiError && list.error.status === 404;

  async function sync(s: OnCallSchedule) {
    setError(undefined);
    try {
      await ok(api.POST('/api/v1/on-call-schedules/{id}/sync', { params: { path: { id: s.id } } }));
      list.reload();
    } catch (err) {
      setError(err);
    }
  }

  if (unavailable)
    return (
      <section aria-labelledby="oncall-settings-heading">
        <h2 id="oncall-settings-heading">On-call schedules</h2>
        <Empty>On-call schedules are not available on this server.</Empty>
      </section>
    );
  const items = list.data?.items ?? [];
  return (
    <section aria-labelledby="oncall-settings-heading">
      <h2 id="oncall-settings-heading">On-call schedules</h2>
      <ErrorNote error={list.error ?? error} />
      {list.loading && !list.data && <Loading />}
      {list.data && items.length === 0 && <Empty>No schedules yet.</Empty>}
      {items.length > 0 && (
        <ul className="card-list">
          {items.map((s) => (
            <li key={s.id} className="card">
              <div className="card-head">
                <h3>{s.name}</h3>
                <span
                  className={`badge ${s.syncStatus === 'ok' ? 'badge-ok' : s.syncStatus === 'error' ? 'badge-bad' : ''}`}
                >
                  {s.provider} · {s.syncStatus}
                </span>
              </div>
              {s.syncError && <p className="small field-error">Last sync failed: {s.syncError}</p>}
              {s.syncErrorDetail && <p className="small muted">The provider said: {s.syncErrorDetail}</p>}
              <p className="small muted">
                {s.lastSyncedAt ? `Synced ${formatDateTime(s.lastSyncedAt)}` : 'Not synced yet'}
              </p>
              <OnCallNow schedule={s} />
              <details
                className="history"
                onToggle={(e) => {
                  const open = (e.currentTarget as HTMLDetailsElement).open;
                  setPreviewing((p) => (open ? [...p, s.id] : p.filter((id) => id !== s.id)));
                }}
              >
                <summary>Next two weeks</summary>
                {previewing.includes(s.id) && <ScheduleTimeline scheduleId={s.id} name={s.name} />}
              </details>
              {editing === s.id && (
                <EditRotationForm
                  schedule={s}
                  onDone={(saved) => {
                    setEditing(undefined);
                    if (saved) list.reload();
                  }}
                />
              )}
              {(manageSchedules || syncSchedules) && editing !== s.id && (
                <div className="row-actions">
                  {manageSchedules && s.provider === 'builtin' && (
                    <button type="button" aria-label={`Edit ${s.name}`} onClick={() => setEditing(s.id)}>
                      Edit
                    </button>
                  )}
                  {syncSchedules && s.provider !== 'builtin' && (
                    <button type="button" aria-label={`Sync ${s.name} now`} onClick={() => sync(s)}>
                      Sync now
                    </button>
                  )}
                  {manageSchedules && (
                    <button
                      type="button"
                      className="button-quiet"
                      aria-label={`Delete ${s.name}`}
                      onClick={() => setDeleting(s)}
                    >
                      Delete
                    </button>
                  )}
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {manageSchedules && <NewScheduleForm onCreated={list.reload} />}
      {deleting && (
        <ConfirmDialog
          title={`Delete the schedule “${deleting.name}”?`}
          confirm="Delete schedule"
          danger
          onConfirm={() =>
            ok(api.DELETE('/api/v1/on-call-schedules/{id}', { params: { path: { id: deleting.id } } }))
          }
          onClose={(done) => {
            setDeleting(undefined);
            if (done) list.reload();
          }}
        >
          <p>Groups fed by it lose their on-call members at once.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
