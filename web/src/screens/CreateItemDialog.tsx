import { useState, type FormEvent } from 'react';
import { api, ok } from '../api/client';
import { ApiError } from '../api/errors';
import { Dialog } from '../components/Dialog';
import { Field } from '../components/Field';
import { ErrorNote } from '../components/Notice';

// Creating a group or a resource (admins). Field errors from the API land on their fields.

interface Props {
  kind: 'group' | 'resource';
  onClose: (createdId?: string) => void;
}

export function CreateItemDialog({ kind, onClose }: Props) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [type, setType] = useState('');
  const [levels, setLevels] = useState('read, admin');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const problems: Record<string, string> = {};
    if (!name.trim()) problems.name = 'Give it a name.';
    if (kind === 'resource' && !type.trim())
      problems.type = 'Say what kind of resource it is, such as postgres.';
    const accessLevels = levels
      .split(',')
      .map((l) => l.trim())
      .filter(Boolean);
    if (kind === 'resource' && accessLevels.length === 0)
      problems.accessLevels = 'List at least one access level.';
    setErrors(problems);
    setError(undefined);
    if (Object.keys(problems).length) return;
    setBusy(true);
    try {
      const base = { name: name.trim(), ...(description.trim() ? { description: description.trim() } : {}) };
      const created =
        kind === 'group'
          ? await ok(api.POST('/api/v1/groups', { body: base }))
          : await ok(api.POST('/api/v1/resources', { body: { ...base, type: type.trim(), accessLevels } }));
      onClose(created.id);
    } catch (err) {
      const fields = err instanceof ApiError ? err.fieldErrors() : {};
      if (err instanceof ApiError && err.code === 'conflict')
        fields.name = `${err.message} ${err.problem.detail ?? ''}`;
      setErrors(fields);
      if (!Object.keys(fields).length) setError(err);
      setBusy(false);
    }
  }

  return (
    <Dialog title={kind === 'group' ? 'New group' : 'New resource'} onClose={() => onClose()}>
      <form onSubmit={submit} noValidate>
        <Field label="Name" required error={errors.name}>
          {(p) => (
            <input
              {...p}
              value={name}
              maxLength={200}
              onChange={(e) => setName(e.target.value)}
              data-autofocus
            />
          )}
        </Field>
        {kind === 'resource' && (
          <>
            <Field
              label="Type"
              required
              error={errors.type}
              hint="For example postgres, aws-account, kubernetes."
            >
              {(p) => <input {...p} value={type} maxLength={100} onChange={(e) => setType(e.target.value)} />}
            </Field>
            <Field label="Access levels" required error={errors.accessLevels} hint="Separated by commas.">
              {(p) => <input {...p} value={levels} onChange={(e) => setLevels(e.target.value)} />}
            </Field>
          </>
        )}
        <Field label="Description" error={errors.description}>
          {(p) => (
            <textarea
              {...p}
              rows={2}
              maxLength={2000}
              value={description}
              onChange={(e) => setDescription(e.target.value)}
            />
          )}
        </Field>
        <ErrorNote error={error} />
        <div className="dialog-actions">
          <button type="button" onClick={() => onClose()}>
            Cancel
          </button>
          <button type="submit" className="button-primary" disabled={busy}>
            Create {kind}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
