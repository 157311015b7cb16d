import { useState, type FormEvent } from 'react';
import { api, ok } from '../../api/client';
import type { BreakGlassSettings } from '../../api/types';
import { Field } from '../../components/Field';
import { IdListPicker } from '../../components/IdListPicker';
import { ErrorNote } from '../../components/Notice';
import { useDirectory } from '../../lib/directory';
import { formatMinutes } from '../../lib/time';

// Editing who may break the glass: people, groups whose members may, and how long an activation lasts.

const DURATIONS = [30, 60, 120, 240, 480, 720, 1440];

interface Props {
  groupId: string;
  settings: BreakGlassSettings;
  onDone: (saved?: BreakGlassSettings) => void;
}

export function BreakGlassSettingsForm({ groupId, settings, onDone }: Props) {
  const dir = useDirectory();
  const [userIds, setUserIds] = useState(settings.userIds);
  const [groupIds, setGroupIds] = useState(settings.groupIds);
  const [duration, setDuration] = useState(settings.durationMinutes);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const durations = DURATIONS.includes(duration) ? DURATIONS : [...DURATIONS, duration].sort((a, b) => a - b);

  async function save(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const body = { userIds, groupIds, durationMinutes: duration };
      onDone(
        await ok(api.PUT('/api/v1/groups/{id}/break-glass', { params: { path: { id: groupId } }, body })),
      );
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  const userOptions = dir.me.abilities.listUsers
    ? [...dir.users.values()].map((u) => ({ id: u.id, label: `${u.name} (${u.email})` }))
    : null;
  const groupOptions = [...dir.groups.values()].map((g) => ({ id: g.id, label: g.name }));
  return (
    <form className="panel" onSubmit={save} noValidate>
      <IdListPicker
        label="People"
        value={userIds}
        onChange={setUserIds}
        options={userOptions}
        nameOf={dir.userName}
      />
      <IdListPicker
        label="Groups whose members may break the glass"
        value={groupIds}
        onChange={setGroupIds}
        options={groupOptions}
        nameOf={dir.groupName}
      />
      <Field label="Access lasts">
        {(p) => (
          <select {...p} value={duration} onChange={(e) => setDuration(Number(e.target.value))}>
            {durations.map((m) => (
              <option key={m} value={m}>
                {formatMinutes(m)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <ErrorNote error={error} />
      <div className="row-actions">
        <button type="submit" className="button-primary" disabled={busy}>
          Save break-glass users
        </button>
        <button type="button" onClick={() => onDone()}>
          Cancel
        </button>
      </div>
    </form>
  );
}
