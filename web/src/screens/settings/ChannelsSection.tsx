import { useState } from 'react';
import { api, ok } from '../../api/client';
import type { Channel } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Empty, ErrorNote, Loading } from '../../components/Notice';
import { useDirectory } from '../../lib/directory';
import { useLoad } from '../../lib/use-load';
import { NewChannelForm } from './NewChannelForm';

// Where notices go: e-mail, Slack, webhooks. Those whose abilities say manageChannels add, test, pause and
// delete them; everyone else sees which exist (a group's owners pick among them).

export function ChannelsSection() {
  const { manageChannels } = useDirectory().me.abilities;
  const channels = useLoad(
    () => ok(api.GET('/api/v1/notification-channels', { params: { query: { limit: 200 } } })),
    [],
  );
  const [results, setResults] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const [deleting, setDeleting] = useState<Channel>();

  async function test(c: Channel) {
    setResults({ ...results, [c.id]: 'Sending a test notice…' });
    try {
      const r = await ok(
        api.POST('/api/v1/notification-channels/{id}/test', { params: { path: { id: c.id } } }),
      );
      setResults((prev) => ({
        ...prev,
        [c.id]: r.delivered ? 'Test notice delivered.' : `Not delivered: ${r.error ?? 'unknown error'}`,
      }));
    } catch (err) {
      setResults((prev) => ({ ...prev, [c.id]: err instanceof Error ? err.message : String(err) }));
    }
  }
  async function toggle(c: Channel) {
    setError(undefined);
    try {
      await ok(
        api.PATCH('/api/v1/notification-channels/{id}', {
          params: { path: { id: c.id } },
          body: { enabled: !c.enabled },
        }),
      );
      channels.reload();
    } catch (err) {
      setError(err);
    }
  }

  const list = channels.data?.items ?? [];
  return (
    <section aria-labelledby="channels-heading">
      <h2 id="channels-heading">Notification channels</h2>
      <ErrorNote error={channels.error ?? error} />
      {channels.loading && !channels.data && <Loading />}
      {channels.data && list.length === 0 && (
        <Empty>No channels yet{manageChannels ? '' : '; an admin can add them'}.</Empty>
      )}
      {list.length > 0 && (
        <ul className="card-list">
          {list.map((c) => (
            <li key={c.id} className="card">
              <div className="card-head">
                <h3>{c.name}</h3>
                <span className={`badge ${c.enabled ? 'badge-ok' : ''}`}>{c.enabled ? 'On' : 'Paused'}</span>
              </div>
              <p className="small">
                {c.type === 'email' ? 'E-mail' : c.type === 'slack' ? 'Slack' : 'Webhook'} ·{' '}
                {c.allEvents ? 'every audit event' : c.events ? c.events.join(', ') : 'all notices'}
              </p>
              {c.stream?.lastError && (
                <p className="small field-error">Last delivery failed: {c.stream.lastError}</p>
              )}
              {manageChannels && (
                <div className="row-actions">
                  <button
                    type="button"
                    aria-label={`Send a test notice through ${c.name}`}
                    onClick={() => test(c)}
                  >
                    Test
                  </button>
                  <button
                    type="button"
                    onClick={() => toggle(c)}
                    aria-label={`${c.enabled ? 'Pause' : 'Resume'} ${c.name}`}
                  >
                    {c.enabled ? 'Pause' : 'Resume'}
                  </button>
                  <button
                    type="button"
                    className="button-quiet"
                    aria-label={`Delete ${c.name}`}
                    onClick={() => setDeleting(c)}
                  >
                    Delete
                  </button>
                </div>
              )}
              {results[c.id] && (
                <p className="small" role="status">
                  {results[c.id]}
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
      {manageChannels && <NewChannelForm onCreated={channels.reload} />}
      {deleting && (
        <ConfirmDialog
          title={`Delete the channel “${deleting.name}”?`}
          confirm="Delete channel"
          danger
          onConfirm={() =>
            ok(api.DELETE('/api/v1/notification-channels/{id}', { params: { path: { id: deleting.id } } }))
          }
          onClose={(done) => {
            setDeleting(undefined);
            if (done) channels.reload();
          }}
        >
          <p>It leaves every group that uses it, and its notices stop.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
