import { useState } from 'react';
import { api, ok } from '../../api/client';
import type { Group } from '../../api/types';
import { ErrorNote, Loading, Success } from '../../components/Notice';
import { nextSyncOutcome, useLinkedItems } from '../../lib/connections';
import { useDirectory } from '../../lib/directory';
import { Link, navigate } from '../../lib/router';
import { useLoad, useMounted } from '../../lib/use-load';
import { ConnectionActions } from './ConnectionActions';
import { ConnectionFacts, HealthBadge } from './ConnectionFacts';
import { ConnectionFormDialog } from './ConnectionFormDialog';
import { DeleteConnectionDialog } from './DeleteConnectionDialog';
import { DriftTable } from './DriftTable';
import { LinkedItemsList } from './LinkedItemsList';
import { RemoteItemsTable } from './RemoteItemsTable';

// One connected system: how it is doing, what in it access can be linked to (admins browse and import), and the
// drift found there. After an import the system is synced at once; its drift is read again when that is done.

export function ConnectionDetail({ id }: { id: string }) {
  const dir = useDirectory();
  const manage = dir.me.abilities.manageConnections;
  const alive = useMounted();
  const path = { params: { path: { id } } };
  const connection = useLoad(() => ok(api.GET('/api/v1/connections/{id}', path)), [id]);
  const remote = useLoad(
    async () => (manage ? (await ok(api.GET('/api/v1/connections/{id}/remote-items', path))).items : []),
    [id, manage],
  );
  const drift = useLoad(async () => (await ok(api.GET('/api/v1/connections/{id}/drift', path))).items, [id]);
  const linked = useLinkedItems(id);
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [imported, setImported] = useState<Group[]>();
  const [syncing, setSyncing] = useState(false);
  const c = connection.data;

  async function afterImport(groups: Group[]) {
    setImported(groups);
    setSyncing(true);
    remote.reload();
    dir.reload();
    try {
      const after = c && (await nextSyncOutcome(c, alive));
      if (after && alive()) connection.setData(after);
    } finally {
      if (alive()) setSyncing(false);
      drift.reload();
    }
  }

  const remoteNames = new Map<string, string>([
    ...linked.flatMap((i) => (i.remote ? [[i.remote.remoteId, i.remote.remoteName] as const] : [])),
    ...(remote.data ?? []).map((r) => [r.remoteId, r.name] as const),
  ]);
  return (
    <section aria-labelledby="connection-heading">
      <p className="breadcrumb">
        <Link to="/settings/connections">All connected systems</Link>
      </p>
      <ErrorNote error={connection.error} />
      {connection.loading && !c && <Loading />}
      {c && (
        <>
          <div className="card-head">
            <h2 id="connection-heading">{c.name}</h2>
            <HealthBadge connection={c} />
          </div>
          <ConnectionFacts connection={c} />
          {manage && (
            <ConnectionActions
              connection={c}
              onChanged={connection.setData}
              onEdit={() => setEditing(true)}
              onDelete={() => setDeleting(true)}
            />
          )}
          <h3>{manage ? `What is in ${c.name}` : 'Linked here'}</h3>
          {imported && (
            <Success>
              <p>
                Imported as{' '}
                {imported.map((g, n) => (
                  <span key={g.id}>
                    {n > 0 && ', '}
                    <Link to={`/inventory/groups/${g.id}`}>{g.name}</Link>
                  </span>
                ))}
                .{syncing && ` Latch is syncing ${c.name} now; drift shows below once it is done.`}
              </p>
            </Success>
          )}
          {manage && <ErrorNote error={remote.error} context={`Could not read what is in ${c.name}.`} />}
          {manage && remote.loading && !remote.data && <Loading what={`Reading ${c.name}`} />}
          {manage && remote.data && (
            <RemoteItemsTable connection={c} items={remote.data} onImported={(g) => void afterImport(g)} />
          )}
          {(!manage || remote.error !== undefined) && <LinkedItemsList connection={c} />}
          <h3>Drift</h3>
          <ErrorNote error={drift.error} />
          {drift.loading && !drift.data && <Loading />}
          {drift.data && (
            <DriftTable connection={c} drift={drift.data} remoteNames={remoteNames} linked={linked.length} />
          )}
          {editing && (
            <ConnectionFormDialog
              connection={c}
              onClose={(saved) => {
                setEditing(false);
                if (saved) connection.reload();
              }}
            />
          )}
          {deleting && (
            <DeleteConnectionDialog
              connection={c}
              onClose={(done) => {
                setDeleting(false);
                if (done) navigate('/settings/connections');
              }}
            />
          )}
        </>
      )}
    </section>
  );
}
