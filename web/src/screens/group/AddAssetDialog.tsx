import { useState, type FormEvent } from 'react';
import { api, ok } from '../../api/client';
import type { Group } from '../../api/types';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { ErrorNote } from '../../components/Notice';
import { useDirectory } from '../../lib/directory';
import { localInputToIso } from '../../lib/time';

// Nesting a group or a resource (at an access level) under a group: an edge may join two items that both say
// `nest` in their abilities, so only those are offered. A nesting cycle is refused by the API and explained.

interface Props {
  group: Group;
  kind: 'group' | 'resource';
  onClose: (added: boolean) => void;
}

export function AddAssetDialog({ group, kind, onClose }: Props) {
  const dir = useDirectory();
  const [target, setTarget] = useState('');
  const [level, setLevel] = useState('');
  const [until, setUntil] = useState('');
  const [fieldError, setFieldError] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const groups = [...dir.groups.values()]
    .filter((g) => g.id !== group.id && g.abilities.nest)
    .sort((a, b) => a.name.localeCompare(b.name));
  const resources = [...dir.resources.values()]
    .filter((r) => r.abilities.nest)
    .sort((a, b) => a.name.localeCompare(b.name));
  const levels = dir.resources.get(target)?.accessLevels ?? [];

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    if (!target) return setFieldError(`Choose a ${kind}.`);
    setFieldError(undefined);
    setBusy(true);
    try {
      const expiresAt = localInputToIso(until);
      const body =
        kind === 'group'
          ? { groupId: target, ...(expiresAt ? { expiresAt } : {}) }
          : {
              resourceId: target,
              accessLevel: level || levels[0] || '',
              ...(expiresAt ? { expiresAt } : {}),
            };
      await ok(api.POST('/api/v1/groups/{id}/assets', { params: { path: { id: group.id } }, body }));
      onClose(true);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <Dialog
      title={kind === 'group' ? `Add a group to ${group.name}` : `Add a resource to ${group.name}`}
      onClose={() => onClose(false)}
    >
      <form onSubmit={submit} noValidate>
        <Field label={kind === 'group' ? 'Group' : 'Resource'} required error={fieldError}>
          {(p) => (
            <select {...p} value={target} onChange={(e) => setTarget(e.target.value)} data-autofocus>
              <option value="">Choose…</option>
              {(kind === 'group' ? groups : resources).map((i) => (
                <option key={i.id} value={i.id}>
                  {i.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        {kind === 'resource' && (
          <Field label="Access level">
            {(p) => (
              <select {...p} value={level || levels[0] || ''} onChange={(e) => setLevel(e.target.value)}>
                {levels.map((l) => (
                  <option key={l}>{l}</option>
                ))}
              </select>
            )}
          </Field>
        )}
        <Field label="Until" hint="Leave empty for no end.">
          {(p) => (
            <input {...p} type="datetime-local" value={until} onChange={(e) => setUntil(e.target.value)} />
          )}
        </Field>
        <ErrorNote error={error} />
        <div className="dialog-actions">
          <button type="button" onClick={() => onClose(false)}>
            Cancel
          </button>
          <button type="submit" className="button-primary" disabled={busy}>
            Add asset
          </button>
        </div>
      </form>
    </Dialog>
  );
}
