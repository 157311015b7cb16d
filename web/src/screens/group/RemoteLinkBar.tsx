import { useState } from 'react';
import { api, ok } from '../../api/client';
import type { Group, Resource } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { itemWordFor, useConnection, useConnections } from '../../lib/connections';
import { useDirectory } from '../../lib/directory';
import { Link } from '../../lib/router';
import { LinkRemoteDialog } from './LinkRemoteDialog';

// An item's link to a role or group in a connected system, under its title: "Linked to role prod_read in prod
// cluster". Admins link and unlink it; those who may not see connections read "a connected system". An item
// without a link shows nothing, except to admins once a system is connected.

export type LinkableItem = ({ kind: 'group' } & Group) | ({ kind: 'resource' } & Resource);

export function RemoteLinkBar({ item, onChanged }: { item: LinkableItem; onChanged: () => void }) {
  const { me } = useDirectory();
  const manage = me.abilities.manageConnections;
  const link = item.remote;
  const connection = useConnection(link?.connectionId).data;
  // Unlinked, the item offers a link only once there is something to link it to.
  const any = useConnections(manage && !link).data?.length ?? 0;
  const [linking, setLinking] = useState(false);
  const [unlinking, setUnlinking] = useState(false);
  if (!link && (!manage || any === 0)) return null;

  const word = itemWordFor(connection?.kind);
  const where = connection ? (
    <Link to={`/settings/connections/${connection.id}`}>{connection.name}</Link>
  ) : (
    'a connected system'
  );
  const patch = (remote: null) =>
    item.kind === 'group'
      ? ok(api.PATCH('/api/v1/groups/{id}', { params: { path: { id: item.id } }, body: { remote } }))
      : ok(api.PATCH('/api/v1/resources/{id}', { params: { path: { id: item.id } }, body: { remote } }));

  return (
    <div className="remote-link">
      {link ? (
        <p>
          {link.accessLevel && <>Holders of {link.accessLevel} are members of </>}
          {!link.accessLevel && 'Linked to '}
          {connection && `${word} `}
          <strong>{link.remoteName}</strong> in {where}
        </p>
      ) : (
        <p className="muted">Not linked to a connected system.</p>
      )}
      {manage && (
        <div className="row-actions">
          {link ? (
            <button type="button" className="button-small" onClick={() => setUnlinking(true)}>
              Unlink
            </button>
          ) : (
            <button type="button" className="button-small" onClick={() => setLinking(true)}>
              Link to a connected system…
            </button>
          )}
        </div>
      )}
      {linking && (
        <LinkRemoteDialog
          item={item}
          onClose={(done) => {
            setLinking(false);
            if (done) onChanged();
          }}
        />
      )}
      {unlinking && link && (
        <ConfirmDialog
          title={`Unlink ${item.name} from ${link.remoteName}?`}
          confirm="Unlink"
          danger
          onConfirm={() => patch(null)}
          onClose={(done) => {
            setUnlinking(false);
            if (done) onChanged();
          }}
        >
          <p>
            Latch takes every account it put in {link.remoteName} back out. Access to {item.name} here stays
            as it is.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
