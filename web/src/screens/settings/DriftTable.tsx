import type { Connection, Drift } from '../../api/types';
import { Empty } from '../../components/Notice';
import { itemWordFor } from '../../lib/connections';
import { useDirectory } from '../../lib/directory';
import { Link } from '../../lib/router';
import { formatDateTime, formatRelative } from '../../lib/time';
import { useNow } from '../../lib/use-load';

// Open drift: accounts in linked roles or groups that no access in Latch explains, with the Latch person the
// account belongs to when Latch can tell.

interface Props {
  connection: Connection;
  drift: Drift[];
  /** Names of remote items by their id in the system. */
  remoteNames: Map<string, string>;
  /** How many items here are linked to the connection. */
  linked: number;
}

export function DriftTable({ connection: c, drift, remoteNames, linked }: Props) {
  const dir = useDirectory();
  const now = useNow(30_000);
  if (drift.length === 0 && linked === 0)
    return <Empty>No drift: nothing here is linked to {c.name} yet.</Empty>;
  if (drift.length === 0 && !c.lastSyncAt)
    return <Empty>Nothing is known yet: {c.name} has not been synced.</Empty>;
  if (drift.length === 0)
    return (
      <Empty>
        No drift at the last sync: every member of a linked {itemWordFor(c.kind)} in {c.name} had access here.
      </Empty>
    );
  return (
    <>
      <p>
        {c.mode === 'enforce'
          ? `${c.name} enforces: Latch takes these accounts out at the next sync.`
          : `${c.name} only reports: these accounts stay until someone gives them access here or takes them out there.`}
      </p>
      <table className="data cards">
        <thead>
          <tr>
            <th scope="col">Account</th>
            <th scope="col">In</th>
            <th scope="col">Person in Latch</th>
            <th scope="col">Found</th>
          </tr>
        </thead>
        <tbody>
          {drift.map((d) => (
            <tr key={`${d.remoteId}\u0000${d.remoteAccount}`}>
              <th scope="row" data-label="Account">
                <code>{d.remoteAccount}</code>
              </th>
              <td data-label="In">{remoteNames.get(d.remoteId) ?? 'a linked item'}</td>
              <td data-label="Person in Latch">
                {d.userId === null ? (
                  <span className="muted">nobody Latch knows</span>
                ) : dir.me.abilities.listUsers ? (
                  <Link to={`/people/${d.userId}`}>{dir.userName(d.userId)}</Link>
                ) : (
                  dir.userName(d.userId)
                )}
              </td>
              <td data-label="Found">
                <time dateTime={d.detectedAt} title={formatDateTime(d.detectedAt)}>
                  {formatRelative(d.detectedAt, now)}
                </time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
