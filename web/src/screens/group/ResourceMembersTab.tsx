import { api, ok } from '../../api/client';
import type { Resource } from '../../api/types';
import { Countdown } from '../../components/Countdown';
import { Empty, ErrorNote, Loading } from '../../components/Notice';
import { PropagationStatus } from '../../components/PropagationStatus';
import { sourceLabel } from '../../lib/access';
import { useConnection } from '../../lib/connections';
import { useDirectory } from '../../lib/directory';
import { useLoad } from '../../lib/use-load';
import { AddMemberForm } from './AddMemberForm';

// Who has which access level on a resource, and through which groups; its owners add people directly. For a
// resource linked to a connected system, the holders of the linked level are shown with their standing there.

export function ResourceMembersTab({ resource }: { resource: Resource }) {
  const dir = useDirectory();
  const { readAccess } = resource.abilities;
  const data = useLoad(
    async () =>
      readAccess
        ? ok(
            api.GET('/api/v1/resources/{id}/members', {
              params: { path: { id: resource.id }, query: { limit: 500 } },
            }),
          )
        : { items: [] },
    [resource.id, readAccess, resource.remote?.remoteId],
  );
  const connection = useConnection(resource.remote?.connectionId);
  const linkedColumn = resource.remote ? `In ${connection.data?.name ?? 'the connected system'}` : undefined;
  return (
    <section aria-labelledby="rmembers-heading">
      <h2 id="rmembers-heading">Members</h2>
      {!readAccess && (
        <Empty>Who has access to {resource.name} is shown to its owners, admins and auditors.</Empty>
      )}
      <ErrorNote error={data.error} />
      {data.loading && !data.data && <Loading />}
      {readAccess && data.data && data.data.items.length === 0 && (
        <Empty>Nobody has access to this resource right now.</Empty>
      )}
      {data.data && data.data.items.length > 0 && (
        <table className="data cards">
          <thead>
            <tr>
              <th scope="col">Member</th>
              <th scope="col">Level</th>
              <th scope="col">How</th>
              <th scope="col">Until</th>
              {linkedColumn && <th scope="col">{linkedColumn}</th>}
            </tr>
          </thead>
          <tbody>
            {data.data.items.map((m) => (
              <tr key={`${m.userId}-${m.accessLevel ?? ''}`}>
                <th scope="row" data-label="Member">
                  {dir.userName(m.userId)}
                </th>
                <td data-label="Level">{m.accessLevel}</td>
                <td data-label="How">
                  <ul className="plain paths">
                    {m.via.map((p) => (
                      <li key={`${p.grantId}-${p.groupIds.join('.')}`}>
                        <span className={`badge badge-${p.source}`}>{sourceLabel[p.source]}</span>{' '}
                        {p.groupIds.length === 0 ? (
                          <span className="muted small">directly</span>
                        ) : (
                          [...p.groupIds.map(dir.groupName), 'this resource'].join(' → ')
                        )}
                      </li>
                    ))}
                  </ul>
                </td>
                <td data-label="Until">
                  <Countdown expiresAt={m.expiresAt} />
                </td>
                {linkedColumn && (
                  <td data-label={linkedColumn}>
                    <PropagationStatus propagation={m.propagation} />
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {resource.abilities.manageMembers && (
        <AddMemberForm resourceId={resource.id} accessLevels={resource.accessLevels} onAdded={data.reload} />
      )}
    </section>
  );
}
