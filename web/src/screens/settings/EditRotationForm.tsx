import { useState, type FormEvent } from 'react';
import { api, ok } from '../../api/client';
import { ApiError } from '../../api/errors';
import type { OnCallSchedule } from '../../api/types';
import { ErrorNote } from '../../components/Notice';
import { configOf, draftOf, RotationFields, rotationErrors } from './RotationFields';

// Changing a built-in rotation: its layers and overrides, saved whole; groups that follow it switch at once.

export function EditRotationForm({
  schedule,
  onDone,
}: {
  schedule: OnCallSchedule;
  onDone: (saved: boolean) => void;
}) {
  const [draft, setDraft] = useState(() => draftOf(schedule.config as Record<string, unknown>));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  async function save(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    setBusy(true);
    try {
      await ok(
        api.PATCH('/api/v1/on-call-schedules/{id}', {
          params: { path: { id: schedule.id } },
          body: { config: configOf(draft) },
        }),
      );
      onDone(true);
    } catch (err) {
      const fields = err instanceof ApiError ? rotationErrors(err.fieldErrors()) : {};
      setErrors(fields);
      setError(Object.keys(fields).length ? new Error('Check the fields marked below.') : err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="panel" onSubmit={save} noValidate aria-label={`Edit ${schedule.name}`}>
      <ErrorNote error={error} />
      <RotationFields value={draft} onChange={setDraft} errors={errors} />
      <div className="row-actions">
        <button type="submit" className="button-primary" disabled={busy}>
          Save rotation
        </button>
        <button type="button" onClick={() => onDone(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
