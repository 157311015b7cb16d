import { useState } from 'react';
import type { Connection, Group, RemoteItem } from '../../api/types';
import { Empty } from '../../components/Notice';
import { itemPath, remoteKindWord } from '../../lib/connections';
import { useDirectory } from '../../lib/directory';
import { Link } from '../../lib/router';
import { ImportDialog } from './ImportDialog';

// The roles or groups in a connected system (admins), as the system lists them now, each with the Latch group or
// resource linked to it. Unlinked ones can be imported: chosen here, then the import dialog asks about their
// members.

interface Props {
  connection: Connection;
  items: RemoteItem[];
  onImported: (groups: Group[]) => void;
}

export function RemoteItemsTable({ connection: c, items, onImported }: Props) {
  const dir = useDirectory();
  const [chosen, setChosen] = useState<string[]>([]);
  const [importing, setImporting] = useState(false);
  const unlinked = items.filter((i) => !i.linkedItemId);
  const toggle = (id: string, on: boolean) =>
    setChosen((ids) => (on ? [...ids, id] : ids.filter((x) => x !== id)));

  function linkedTo(id: string) {
    const kind = dir.resources.has(id) ? 'resource' : 'group';
    const name = kind === 'group' ? dir.groupName(id) : dir.resourceName(id);
    return <Link to={itemPath({ id, kind })}>{name}</Link>;
  }

  if (items.length === 0) return <Empty>{c.name} lists nothing that access can be linked to.</Empty>;
  return (
    <>
      <table className="data cards">
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">Choose</span>
            </th>
            <th scope="col">In {c.name}</th>
            <th scope="col">Kind</th>
            <th scope="col">Linked to</th>
          </tr>
        </thead>
        <tbody>
          {items.map((i) => (
            <tr key={i.remoteId}>
              <td>
                {!i.linkedItemId && (
                  <input
                    type="checkbox"
                    aria-label={`Choose ${i.name}`}
                    checked={chosen.includes(i.remoteId)}
                    onChange={(e) => toggle(i.remoteId, e.target.checked)}
                  />
                )}
              </td>
              <th scope="row" data-label={`In ${c.name}`}>
                {i.name}
              </th>
              <td data-label="Kind">{remoteKindWord(i.kind)}</td>
              <td data-label="Linked to">
                {i.linkedItemId ? linkedTo(i.linkedItemId) : <span className="muted">Not linked</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {unlinked.length > 0 && (
        <div className="toolbar table-actions">
          <button
            type="button"
            className="button-primary"
            disabled={chosen.length === 0}
            onClick={() => setImporting(true)}
          >
            {chosen.length > 1 ? `Import ${chosen.length} as groups…` : 'Import as a group…'}
          </button>
          <span className="muted small">
            {chosen.length === 0 ? 'Choose the unlinked items to import.' : `${chosen.length} chosen.`}
          </span>
        </div>
      )}
      {importing && (
        <ImportDialog
          connection={c}
          items={items.filter((i) => chosen.includes(i.remoteId))}
          onClose={(groups) => {
            setImporting(false);
            if (!groups) return;
            setChosen([]);
            onImported(groups);
          }}
        />
      )}
    </>
  );
}
