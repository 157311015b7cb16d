import { useState, type FormEvent } from 'react';
import { api, ok } from '../../api/client';
import { ApiError } from '../../api/errors';
import { Field } from '../../components/Field';
import { PersonField } from '../../components/PersonField';
import { ErrorNote, Success } from '../../components/Notice';
import { useDirectory } from '../../lib/directory';
import { formatMinutes } from '../../lib/time';

// Granting someone access directly, to a group or to a resource at one of its levels, for a while or without end.

const DURATIONS = [60, 480, 1440, 10080, 43200];

type Target = { groupId: string } | { resourceId: string; accessLevels: string[] };

export function AddMemberForm({ onAdded, ...target }: Target & { onAdded: () => void }) {
  const levels = 'resourceId' in target ? target.accessLevels : null;
  const [accessLevel, setAccessLevel] = useState(levels?.[0] ?? '');
  const dir = useDirectory();
  const users = dir.me.abilities.listUsers ? [...dir.users.values()] : null;
  const [userId, setUserId] = useState('');
  const [duration, setDuration] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const [added, setAdded] = useState<string>();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    setAdded(undefined);
    if (!userId.trim()) return setErrors({ userId: 'Choose who to add.' });
    setErrors({});
    try {
      const body = {
        userId: userId.trim(),
        ...(duration ? { durationMinutes: Number(duration) } : {}),
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      };
      if ('resourceId' in target)
        await ok(
          api.POST('/api/v1/resources/{id}/members', {
            params: { path: { id: target.resourceId } },
            body: { ...body, accessLevel },
          }),
        );
      else
        await ok(api.POST('/api/v1/groups/{id}/members', { params: { path: { id: target.groupId } }, body }));
      setAdded(dir.userName(body.userId));
      setUserId('');
      setReason('');
      onAdded();
    } catch (err) {
      const fields = err instanceof ApiError ? err.fieldErrors() : {};
      setErrors(fields);
      if (!Object.keys(fields).length) setError(err);
    }
  }

  return (
    <form className="panel" onSubmit={submit} noValidate aria-labelledby="add-member-heading">
      <h3 id="add-member-heading">Add a member</h3>
      <div className="form-row">
        <Field label="User" required error={errors.userId}>
          {(p) =>
            users ? (
              <select {...p} value={userId} onChange={(e) => setUserId(e.target.value)}>
                <option value="">Choose…</option>
                {users.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name} ({u.email})
                  </option>
                ))}
              </select>
            ) : (
              <PersonField control={p} label="User" value={userId} onChange={setUserId} />
            )
          }
        </Field>
        {levels && (
          <Field label="Access level" error={errors.accessLevel}>
            {(p) => (
              <select {...p} value={accessLevel} onChange={(e) => setAccessLevel(e.target.value)}>
                {levels.map((l) => (
                  <option key={l}>{l}</option>
                ))}
              </select>
            )}
          </Field>
        )}
        <Field label="For" error={errors.durationMinutes}>
          {(p) => (
            <select {...p} value={duration} onChange={(e) => setDuration(e.target.value)}>
              <option value="">No end</option>
              {DURATIONS.map((m) => (
                <option key={m} value={m}>
                  {formatMinutes(m)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Reason" error={errors.reason}>
          {(p) => (
            <input {...p} value={reason} maxLength={1000} onChange={(e) => setReason(e.target.value)} />
          )}
        </Field>
      </div>
      <ErrorNote error={error} />
      {added && <Success>{added} was added.</Success>}
      <button type="submit">Add member</button>
    </form>
  );
}
