import { useState, type FormEvent } from 'react';
import { api, ok } from '../../api/client';
import { ApiError } from '../../api/errors';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { ErrorNote, Loading } from '../../components/Notice';
import { remoteKindWord, useConnections } from '../../lib/connections';
import { useDirectory } from '../../lib/directory';
import { useLoad } from '../../lib/use-load';
import type { LinkableItem } from './RemoteLinkBar';

// Linking an item to a role or group in a connected system (admins): the connection first, then what in it, as
// the system lists it now; a resource also names the access level whose holders become members there. Items
// already linked to something else are shown but cannot be chosen.

export function LinkRemoteDialog({
  item,
  onClose,
}: {
  item: LinkableItem;
  onClose: (done: boolean) => void;
}) {
  const dir = useDirectory();
  const connections = useConnections();
  const [connectionId, setConnectionId] = useState('');
  const [remoteId, setRemoteId] = useState('');
  const levels = item.kind === 'resource' ? item.accessLevels : [];
  const [level, setLevel] = useState(levels[0] ?? '');
  const [adopt, setAdopt] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const chosen = connectionId || (connections.data?.length === 1 ? connections.data[0]!.id : '');
  const remote = useLoad(
    async () =>
      chosen
        ? (await ok(api.GET('/api/v1/connections/{id}/remote-items', { params: { path: { id: chosen } } })))
            .items
        : [],
    [chosen],
  );
  const linkedName = (id: string) => (dir.resources.has(id) ? dir.resourceName(id) : dir.groupName(id));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    if (!chosen) return setErrors({ 'remote.connectionId': 'Choose a connected system.' });
    if (!remoteId) return setErrors({ 'remote.remoteId': 'Choose what to link to.' });
    setErrors({});
    setBusy(true);
    const path = { id: item.id };
    try {
      const link = { connectionId: chosen, remoteId, ...(adopt ? { adoptMembers: true } : {}) };
      if (item.kind === 'group')
        await ok(api.PATCH('/api/v1/groups/{id}', { params: { path }, body: { remote: link } }));
      else
        await ok(
          api.PATCH('/api/v1/resources/{id}', {
            params: { path },
            body: { remote: { ...link, accessLevel: level } },
          }),
        );
      onClose(true);
    } catch (err) {
      const fields = err instanceof ApiError ? err.fieldErrors() : {};
      setErrors(fields);
      if (!fields['remote.accessLevel'] && !fields['remote.remoteId']) setError(err);
      setBusy(false);
    }
  }

  const list = connections.data ?? [];
  return (
    <Dialog title={`Link ${item.name} to a connected system`} onClose={() => onClose(false)}>
      <form onSubmit={submit} noValidate>
        <p>Whoever has access to {item.name} here is then made a member there, and taken out when it ends.</p>
        <ErrorNote error={connections.error} />
        {connections.data && list.length === 0 && <p>No system is connected yet: connect one in Settings.</p>}
        {list.length > 0 && (
          <Field label="Connected system" required error={errors['remote.connectionId']}>
            {(p) => (
              <select
                {...p}
                value={chosen}
                data-autofocus
                onChange={(e) => {
                  setConnectionId(e.target.value);
                  setRemoteId('');
                }}
              >
                <option value="">Choose…</option>
                {list.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        {chosen && <ErrorNote error={remote.error} />}
        {chosen && remote.loading && <Loading what="Reading what is in it" />}
        {chosen && remote.data && !remote.loading && (
          <Field label="Link to" required error={errors['remote.remoteId']}>
            {(p) => (
              <select {...p} value={remoteId} onChange={(e) => setRemoteId(e.target.value)}>
                <option value="">Choose…</option>
                {remote.data!.map((r) => (
                  <option key={r.remoteId} value={r.remoteId} disabled={r.linkedItemId !== null}>
                    {r.name} ({remoteKindWord(r.kind)}
                    {r.linkedItemId ? `, linked to ${linkedName(r.linkedItemId)}` : ''})
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        {item.kind === 'resource' && (
          <Field
            label="Access level"
            required
            error={errors['remote.accessLevel']}
            hint="Holders of this level become members there."
          >
            {(p) => (
              <select {...p} value={level} onChange={(e) => setLevel(e.target.value)}>
                {levels.map((l) => (
                  <option key={l}>{l}</option>
                ))}
              </select>
            )}
          </Field>
        )}
        {chosen && remoteId && (
          <fieldset className="choices">
            <legend>The people in it now</legend>
            <label className="choice">
              <input type="radio" name="adopt" checked={!adopt} onChange={() => setAdopt(false)} />
              <span>
                <strong>Treat them as drift</strong>{' '}
                <span className="muted small">
                  Listed under the connection’s drift, and taken out there if the connection enforces.
                </span>
              </span>
            </label>
            <label className="choice">
              <input type="radio" name="adopt" checked={adopt} onChange={() => setAdopt(true)} />
              <span>
                <strong>Keep their access</strong>{' '}
                <span className="muted small">
                  Each becomes a member of {item.name} here, with no end date. Accounts Latch cannot match to
                  a person stay drift.
                </span>
              </span>
            </label>
          </fieldset>
        )}
        <ErrorNote error={error} />
        <div className="dialog-actions">
          <button type="button" onClick={() => onClose(false)}>
            Cancel
          </button>
          <button type="submit" className="button-primary" disabled={busy || list.length === 0}>
            Link
          </button>
        </div>
      </form>
    </Dialog>
  );
}
