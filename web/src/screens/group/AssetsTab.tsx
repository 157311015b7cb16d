import { useState } from 'react';
import { api, ok } from '../../api/client';
import type { Asset, Group } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Empty, ErrorNote, Loading } from '../../components/Notice';
import { useDirectory } from '../../lib/directory';
import { Link } from '../../lib/router';
import { formatDateTime } from '../../lib/time';
import { useLoad } from '../../lib/use-load';
import { AddAssetDialog } from './AddAssetDialog';

// What the members of this group reach: nested groups (and their assets) and resources at a level. Adding is
// offered when the group may be nested into (its `nest` ability); each edge says whether it may be removed.

export function AssetsTab({ group }: { group: Group }) {
  const dir = useDirectory();
  const [adding, setAdding] = useState<'group' | 'resource'>();
  const [removing, setRemoving] = useState<Asset>();
  const data = useLoad(
    () => ok(api.GET('/api/v1/groups/{id}/assets', { params: { path: { id: group.id } } })),
    [group.id],
  );
  const removable = data.data?.items.some((a) => a.abilities.remove) ?? false;
  const nameOf = (a: Asset) =>
    a.assetGroupId
      ? dir.groupName(a.assetGroupId)
      : `${dir.resourceName(a.assetResourceId ?? '')} (${a.accessLevel ?? ''})`;

  return (
    <section aria-labelledby="assets-heading">
      <div className="section-head">
        <h2 id="assets-heading">Assets</h2>
        {group.abilities.nest && (
          <div className="row-actions">
            <button type="button" onClick={() => setAdding('group')}>
              <span aria-hidden="true">+ </span>Add group
            </button>
            <button type="button" onClick={() => setAdding('resource')}>
              <span aria-hidden="true">+ </span>Add resource
            </button>
          </div>
        )}
      </div>
      <p className="muted">Members of {group.name} also get access to everything listed here.</p>
      <ErrorNote error={data.error} />
      {data.loading && !data.data && <Loading />}
      {data.data && data.data.items.length === 0 && <Empty>This group has no assets.</Empty>}
      {data.data && data.data.items.length > 0 && (
        <table className="data cards">
          <thead>
            <tr>
              <th scope="col">Asset</th>
              <th scope="col">Kind</th>
              <th scope="col">Until</th>
              {removable && (
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {data.data.items.map((a) => (
              <tr key={a.id}>
                <th scope="row" data-label="Asset">
                  <Link
                    to={
                      a.assetGroupId
                        ? `/inventory/groups/${a.assetGroupId}`
                        : `/inventory/resources/${a.assetResourceId}`
                    }
                  >
                    {nameOf(a)}
                  </Link>
                </th>
                <td data-label="Kind">{a.assetGroupId ? 'Group' : 'Resource'}</td>
                <td data-label="Until">
                  {a.expiresAt ? formatDateTime(a.expiresAt) : <span className="muted">No end</span>}
                </td>
                {removable && (
                  <td className="actions">
                    {a.abilities.remove && (
                      <button
                        type="button"
                        className="button-quiet"
                        aria-label={`Remove ${nameOf(a)}`}
                        onClick={() => setRemoving(a)}
                      >
                        Remove
                      </button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {adding && (
        <AddAssetDialog
          group={group}
          kind={adding}
          onClose={(added) => {
            setAdding(undefined);
            if (added) data.reload();
          }}
        />
      )}
      {removing && (
        <ConfirmDialog
          title={`Remove ${nameOf(removing)} from ${group.name}?`}
          confirm="Remove asset"
          danger
          onConfirm={() =>
            ok(
              api.DELETE('/api/v1/groups/{id}/assets/{assetId}', {
                params: { path: { id: group.id, assetId: removing.id } },
              }),
            )
          }
          onClose={(done) => {
            setRemoving(undefined);
            if (done) data.reload();
          }}
        >
          <p>Members of {group.name} lose the access they had only through this asset, now.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
