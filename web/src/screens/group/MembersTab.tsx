import { useState } from 'react';
import { api, ok } from '../../api/client';
import type { AccessPath, Grant, Group } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Countdown } from '../../components/Countdown';
import { Empty, ErrorNote, Loading } from '../../components/Notice';
import { PropagationStatus } from '../../components/PropagationStatus';
import { sourceLabel } from '../../lib/access';
import { useConnection } from '../../lib/connections';
import { useDirectory } from '../../lib/directory';
import { useLoad } from '../../lib/use-load';
import { AddMemberForm } from './AddMemberForm';

// Everyone with access to the group now: direct members and those who come through nesting, each path
// written "A → B → this group", for those the group's abilities let read it. Those who may manage its members
// add them and end the grants held on this group, except the identity provider's (a SCIM group's members). For
// a group linked to a connected system, each member's standing there is shown too.

export function PathLabel({ path, itemId }: { path: AccessPath; itemId: string }) {
  const dir = useDirectory();
  const names = path.groupIds.map((g) => (g === itemId ? 'this group' : dir.groupName(g)));
  return (
    <span className="path">
      <span className={`badge badge-${path.source}`}>{sourceLabel[path.source]}</span>{' '}
      {path.groupIds.length <= 1 ? (
        <span className="muted small">directly</span>
      ) : (
        <span>{names.join(' → ')}</span>
      )}
    </span>
  );
}

export function MembersTab({ group }: { group: Group }) {
  const dir = useDirectory();
  const { readAccess, manageMembers: manage } = group.abilities;
  const [ending, setEnding] = useState<Grant>();
  const data = useLoad(async () => {
    if (!readAccess) return { members: [], grants: [] };
    const [members, grants] = await Promise.all([
      ok(
        api.GET('/api/v1/groups/{id}/members', { params: { path: { id: group.id }, query: { limit: 500 } } }),
      ),
      ok(
        api.GET('/api/v1/grants', { params: { query: { groupId: group.id, status: 'active', limit: 500 } } }),
      ),
    ]);
    return { members: members.items, grants: grants.items };
  }, [group.id, readAccess, group.remote?.remoteId]);

  const grantById = new Map(data.data?.grants.map((g) => [g.id, g]));
  const connection = useConnection(group.remote?.connectionId);
  const linkedColumn = group.remote ? `In ${connection.data?.name ?? 'the connected system'}` : undefined;

  return (
    <section aria-labelledby="members-heading">
      <h2 id="members-heading">Members</h2>
      {!readAccess && (
        <Empty>Who has access to {group.name} is shown to its owners, admins and auditors.</Empty>
      )}
      <ErrorNote error={data.error} />
      {data.loading && !data.data && <Loading />}
      {readAccess && data.data && data.data.members.length === 0 && (
        <Empty>Nobody has access to this group right now.</Empty>
      )}
      {data.data && data.data.members.length > 0 && (
        <table className="data cards">
          <thead>
            <tr>
              <th scope="col">Member</th>
              <th scope="col">How</th>
              <th scope="col">Until</th>
              {linkedColumn && <th scope="col">{linkedColumn}</th>}
            </tr>
          </thead>
          <tbody>
            {data.data.members.map((m) => (
              <tr key={m.userId}>
                <th scope="row" data-label="Member">
                  {dir.userName(m.userId)}
                  {!m.direct && <div className="muted small">through nesting</div>}
                </th>
                <td data-label="How">
                  <ul className="plain paths">
                    {m.via.map((p) => {
                      const grant = p.groupIds.length === 1 ? grantById.get(p.grantId) : undefined;
                      return (
                        <li key={`${p.grantId}-${p.groupIds.join('.')}`}>
                          <PathLabel path={p} itemId={group.id} />
                          {manage && grant && p.source !== 'idp' && (
                            <button
                              type="button"
                              className="button-quiet button-small"
                              aria-label={`End ${sourceLabel[p.source].toLowerCase()} grant of ${dir.userName(m.userId)}`}
                              onClick={() => setEnding(grant)}
                            >
                              End
                            </button>
                          )}
                        </li>
                      );
                    })}
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
      {manage && group.source === 'scim' && (
        <p className="muted">
          Members of {group.name} come from the identity provider: add and remove them there. Requests,
          break-glass and nesting work here as for any group.
        </p>
      )}
      {manage && group.source !== 'scim' && <AddMemberForm groupId={group.id} onAdded={data.reload} />}
      {ending && (
        <ConfirmDialog
          title={`End access of ${dir.userName(ending.userId)}?`}
          confirm="End grant"
          danger
          onConfirm={() =>
            ok(api.DELETE('/api/v1/grants/{id}', { params: { path: { id: ending.id } }, body: {} }))
          }
          onClose={(done) => {
            setEnding(undefined);
            if (done) data.reload();
          }}
        >
          <p>This grant on {group.name} ends now. Access through other paths stays.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
