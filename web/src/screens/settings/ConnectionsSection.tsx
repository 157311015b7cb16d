import { useState } from 'react';
import type { Connection } from '../../api/types';
import { Empty, ErrorNote, Loading } from '../../components/Notice';
import { useConnections } from '../../lib/connections';
import { useDirectory } from '../../lib/directory';
import { ConnectionCard } from './ConnectionCard';
import { ConnectionDetail } from './ConnectionDetail';
import { ConnectionFormDialog } from './ConnectionFormDialog';
import { DeleteConnectionDialog } from './DeleteConnectionDialog';

// Connected systems: PostgreSQL clusters, LDAP directories and SCIM services whose roles and groups Latch keeps
// in step with access here. Admins and auditors see them and how they are doing; admins add, test, sync,
// change and remove them. One connection's items and drift have a page of their own.

export function ConnectionsSection({ id }: { id?: string }) {
  const { manageConnections: manage } = useDirectory().me.abilities;
  const list = useConnections();
  const [editing, setEditing] = useState<Connection | 'new'>();
  const [deleting, setDeleting] = useState<Connection>();

  if (id) return <ConnectionDetail id={id} />;

  const items = list.data ?? [];
  const replace = (c: Connection) => list.setData(items.map((i) => (i.id === c.id ? c : i)));
  return (
    <section aria-labelledby="connections-heading">
      <div className="section-head">
        <h2 id="connections-heading">Connected systems</h2>
        {manage && (
          <button type="button" className="button-primary" onClick={() => setEditing('new')}>
            Connect a system
          </button>
        )}
      </div>
      <p>
        Latch keeps the roles and groups of these systems in step with access here: whoever has access to a
        linked group or resource is made a member there, and members Latch did not put there are reported as
        drift, or taken out where the connection enforces.
      </p>
      <ErrorNote error={list.error} />
      {list.loading && !list.data && <Loading />}
      {list.data && items.length === 0 && (
        <Empty>No system is connected{manage ? '' : '; an admin can connect one'}.</Empty>
      )}
      {items.length > 0 && (
        <ul className="card-list" aria-labelledby="connections-heading">
          {items.map((c) => (
            <ConnectionCard
              key={c.id}
              connection={c}
              manage={manage}
              onChanged={replace}
              onEdit={() => setEditing(c)}
              onDelete={() => setDeleting(c)}
            />
          ))}
        </ul>
      )}
      {editing && (
        <ConnectionFormDialog
          connection={editing === 'new' ? undefined : editing}
          onClose={(saved) => {
            setEditing(undefined);
            if (saved) list.reload();
          }}
        />
      )}
      {deleting && (
        <DeleteConnectionDialog
          connection={deleting}
          onClose={(done) => {
            setDeleting(undefined);
            if (done) list.reload();
          }}
        />
      )}
    </section>
  );
}
