import { useState, type FormEvent } from 'react';
import { api, ok } from '../../api/client';
import { ApiError } from '../../api/errors';
import type { OnCallProvider } from '../../api/types';
import { Field } from '../../components/Field';
import { ErrorNote, Success } from '../../components/Notice';
import { configOf, draftOf, RotationFields, rotationErrors, type RotationDraft } from './RotationFields';

// Adding a schedule: a built-in rotation (layers and overrides), or a feed, which needs its provider's id and
// secret, never shown again.

export function NewScheduleForm({ onCreated }: { onCreated: () => void }) {
  const [name, setName] = useState('');
  const [provider, setProvider] = useState<OnCallProvider>('builtin');
  const [f, setF] = useState<Record<string, string>>({});
  const [rotation, setRotation] = useState<RotationDraft>(() => draftOf(undefined));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState(false);
  const set = (k: string) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  const v = (k: string) => f[k]?.trim() ?? '';

  function config(): Record<string, unknown> {
    if (provider === 'ical') return { url: v('url') };
    if (provider === 'pagerduty') return { scheduleId: v('scheduleId'), apiToken: v('secret') };
    if (provider === 'opsgenie') return { scheduleId: v('scheduleId'), apiKey: v('secret') };
    return configOf(rotation);
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
      setRotation(draftOf(undefined));
      setDone(true);
      onCreated();
    } catch (err) {
      // Each error under the field it is about, by its label; the raw paths are not for people.
      const fields = err instanceof ApiError ? rotationErrors(err.fieldErrors()) : {};
      if (fields.apiToken || fields.apiKey) fields.secret = fields.apiToken ?? fields.apiKey!;
      setErrors(fields);
      setError(Object.keys(fields).length ? new Error('Check the fields marked below.') : err);
    }
  }

  const input = (key: string, label: string, type = 'text', hint?: string) => (
    <Field label={label} error={errors[key]} hint={hint}>
      {(p) => <input {...p} type={type} value={f[key] ?? ''} onChange={set(key)} />}
    </Field>
  );

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
      {provider === 'builtin' && <RotationFields value={rotation} onChange={setRotation} errors={errors} />}
      <ErrorNote error={error} />
      {done && <Success>Schedule added.</Success>}
      <button type="submit" className="button-primary">
        Add schedule
      </button>
    </form>
  );
}
