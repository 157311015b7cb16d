import { useState, type FormEvent } from 'react';
import { api, ok } from '../../api/client';
import { ApiError } from '../../api/errors';
import type { OnCallProvider } from '../../api/types';
import { Field } from '../../components/Field';
import { IdListPicker } from '../../components/IdListPicker';
import { ErrorNote, Success } from '../../components/Notice';
import { useDirectory } from '../../lib/directory';
import { localInputToIso } from '../../lib/time';

// Adding a schedule. A built-in rotation here is one layer (people taking turns in fixed shifts); feeds need
// their provider's id and secret, which are never shown again.

export function NewScheduleForm({ onCreated }: { onCreated: () => void }) {
  const dir = useDirectory();
  const [name, setName] = useState('');
  const [provider, setProvider] = useState<OnCallProvider>('builtin');
  const [f, setF] = useState<Record<string, string>>({
    shiftHours: '168',
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  });
  const [people, setPeople] = useState<string[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState(false);
  const set = (k: string) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  const v = (k: string) => f[k]?.trim() ?? '';

  function config(): Record<string, unknown> {
    if (provider === 'ical') return { url: v('url') };
    if (provider === 'pagerduty') return { scheduleId: v('scheduleId'), apiToken: v('secret') };
    if (provider === 'opsgenie') return { scheduleId: v('scheduleId'), apiKey: v('secret') };
    const start = localInputToIso(v('start')) ?? new Date().toISOString();
    return {
      timezone: v('timezone'),
      layers: [{ start, shiftMinutes: Math.round(Number(v('shiftHours')) * 60), userIds: people }],
    };
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    setDone(false);
    if (!name.trim()) return setErrors({ name: 'Give the schedule a name.' });
    setErrors({});
    try {
      await ok(
        api.POST('/api/v1/on-call-schedules', { body: { name: name.trim(), provider, config: config() } }),
      );
      setName('');
      setPeople([]);
      setDone(true);
      onCreated();
    } catch (err) {
      setErrors(
        err instanceof ApiError
          ? Object.fromEntries(
              Object.entries(err.fieldErrors()).map(([k, m]) => [k.replace(/^config\./, ''), m]),
            )
          : {},
      );
      setError(err);
    }
  }

  const input = (key: string, label: string, type = 'text', hint?: string) => (
    <Field label={label} error={errors[key]} hint={hint}>
      {(p) => <input {...p} type={type} value={f[key] ?? ''} onChange={set(key)} />}
    </Field>
  );
  const userOptions = dir.me.abilities.listUsers
    ? [...dir.users.values()].map((u) => ({ id: u.id, label: `${u.name} (${u.email})` }))
    : null;

  return (
    <form className="panel" onSubmit={submit} noValidate aria-labelledby="new-schedule-heading">
      <h3 id="new-schedule-heading">Add a schedule</h3>
      <div className="form-row">
        <Field label="Name" required error={errors.name}>
          {(p) => <input {...p} value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label="Source">
          {(p) => (
            <select {...p} value={provider} onChange={(e) => setProvider(e.target.value as OnCallProvider)}>
              <option value="builtin">Built-in rotation</option>
              <option value="ical">iCal feed</option>
              <option value="pagerduty">PagerDuty</option>
              <option value="opsgenie">Opsgenie</option>
            </select>
          )}
        </Field>
      </div>
      {provider === 'ical' &&
        input('url', 'Feed URL', 'url', 'Kept secret: it often carries a private token.')}
      {(provider === 'pagerduty' || provider === 'opsgenie') && (
        <div className="form-row">
          {input('scheduleId', 'Schedule id')}
          {input('secret', provider === 'pagerduty' ? 'API token' : 'API key', 'password')}
        </div>
      )}
      {provider === 'builtin' && (
        <>
          <div className="form-row">
            {input('timezone', 'Time zone')}
            {input('start', 'First shift starts', 'datetime-local')}
            {input('shiftHours', 'Shift length (hours)', 'number')}
          </div>
          <IdListPicker
            label="People, in turn"
            value={people}
            onChange={setPeople}
            options={userOptions}
            nameOf={dir.userName}
          />
        </>
      )}
      <ErrorNote error={error} />
      {done && <Success>Schedule added.</Success>}
      <button type="submit" className="button-primary">
        Add schedule
      </button>
    </form>
  );
}
