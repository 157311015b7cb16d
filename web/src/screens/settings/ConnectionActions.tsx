import { useState } from 'react';
import { api, ok } from '../../api/client';
import type { Connection } from '../../api/types';
import { ErrorNote } from '../../components/Notice';
import { nextSyncOutcome } from '../../lib/connections';
import { useMounted } from '../../lib/use-load';
import { TestButton, TestOutcome, useConnectionTest } from './ConnectionTest';

// What an admin does to a connection: test it, sync it now, change it, remove it. A sync runs in the
// background; the connection is read again until its outcome changes, so its health here follows.

interface Props {
  connection: Connection;
  onChanged: (c: Connection) => void;
  onEdit: () => void;
  onDelete: () => void;
}

export function ConnectionActions({ connection: c, onChanged, onEdit, onDelete }: Props) {
  const test = useConnectionTest(c);
  const [syncing, setSyncing] = useState(false);
  const [syncNote, setSyncNote] = useState<string>();
  const [error, setError] = useState<unknown>();
  const alive = useMounted();

  async function syncNow() {
    setSyncing(true);
    setError(undefined);
    setSyncNote('Syncing…');
    try {
      const before = await ok(api.POST('/api/v1/connections/{id}/sync', { params: { path: { id: c.id } } }));
      const after = await nextSyncOutcome(before, alive);
      if (!alive()) return;
      if (after) onChanged(after);
      setSyncNote(
        !after
          ? 'No new outcome yet: the health shown is that of the last sync that finished.'
          : after.status === 'error'
            ? 'The sync failed.'
            : 'Synced.',
      );
    } catch (err) {
      setSyncNote(undefined);
      setError(err);
    } finally {
      if (alive()) setSyncing(false);
    }
  }

  return (
    <>
      <div className="row-actions">
        <TestButton test={test} name={c.name} />
        <button type="button" aria-label={`Sync now, ${c.name}`} onClick={syncNow} disabled={syncing}>
          Sync now
        </button>
        <button type="button" aria-label={`Edit ${c.name}`} onClick={onEdit}>
          Edit
        </button>
        <button type="button" className="button-quiet" aria-label={`Delete ${c.name}`} onClick={onDelete}>
          Delete
        </button>
      </div>
      <p className="small" role="status">
        {syncNote}
      </p>
      <TestOutcome test={test} />
      <ErrorNote error={error} />
    </>
  );
}
