import { useState, type FormEvent } from 'react';
import { api, ok } from '../../api/client';
import type { Connection, Group, RemoteItem } from '../../api/types';
import { Dialog } from '../../components/Dialog';
import { ErrorNote } from '../../components/Notice';
import { remoteKindWord } from '../../lib/connections';

// Importing remote items: each becomes a Latch group linked to it. What happens to the people already in them
// is the admin's explicit choice, since either way changes who keeps access.

interface Props {
  connection: Connection;
  items: RemoteItem[];
  onClose: (imported?: Group[]) => void;
}

export function ImportDialog({ connection: c, items, onClose }: Props) {
  const [adopt, setAdopt] = useState<boolean>();
  const [choiceError, setChoiceError] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const one = items.length === 1;
  const choose = (value: boolean) => {
    setAdopt(value);
    setChoiceError(undefined);
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    if (adopt === undefined) return setChoiceError('Choose what happens to the people in it now.');
    setChoiceError(undefined);
    setBusy(true);
    try {
      const body = { remoteIds: items.map((i) => i.remoteId), adoptMembers: adopt };
      const imported = await ok(
        api.POST('/api/v1/connections/{id}/import', { params: { path: { id: c.id } }, body }),
      );
      onClose(imported.items);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  const drift =
    c.mode === 'enforce'
      ? `Latch takes them out of it at the next sync, as ${c.name} enforces.`
      : 'They stay there, listed as drift, until someone gives them access here or takes them out there.';
  return (
    <Dialog
      title={`Import from ${c.name}`}
      onClose={() => onClose()}
      description={
        <p>
          Latch creates a group for {one ? 'it' : 'each'}, linked to {one ? 'it' : 'its item'}: from then on,
          whoever has access to the group here is made a member there.
        </p>
      }
    >
      <form onSubmit={submit} noValidate>
        <ul className="plain import-list">
          {items.map((i) => (
            <li key={i.remoteId}>
              <strong>{i.name}</strong> <span className="muted small">{remoteKindWord(i.kind)}</span>
            </li>
          ))}
        </ul>
        <fieldset className="choices" aria-describedby={choiceError ? 'import-choice-error' : undefined}>
          <legend>The people in {one ? 'it' : 'them'} now</legend>
          <label className="choice">
            <input type="radio" name="adopt" checked={adopt === true} onChange={() => choose(true)} />
            <span>
              <strong>Keep their access</strong>{' '}
              <span className="muted small">
                Each becomes a member of the new group here, with no end date. Accounts Latch cannot match to
                a person stay drift.
              </span>
            </span>
          </label>
          <label className="choice">
            <input type="radio" name="adopt" checked={adopt === false} onChange={() => choose(false)} />
            <span>
              <strong>Treat them as drift</strong> <span className="muted small">{drift}</span>
            </span>
          </label>
          {choiceError && (
            <div id="import-choice-error" className="field-error">
              {choiceError}
            </div>
          )}
        </fieldset>
        <ErrorNote error={error} />
        <div className="dialog-actions">
          <button type="button" onClick={() => onClose()}>
            Cancel
          </button>
          <button type="submit" className="button-primary" disabled={busy}>
            {one ? 'Import' : `Import ${items.length}`}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
