import { useState, type FormEvent } from 'react';
import { api, ok } from '../../api/client';
import { ApiError } from '../../api/errors';
import { Field } from '../../components/Field';
import { ErrorNote, Success } from '../../components/Notice';

// Adding a channel. Each type asks only for what it needs; secrets are sent once and never shown again.

type Kind = 'email' | 'slack' | 'webhook';

export function NewChannelForm({ onCreated }: { onCreated: () => void }) {
  const [name, setName] = useState('');
  const [type, setType] = useState<Kind>('slack');
  const [fields, setFields] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState(false);
  const set = (k: string) => (e: { target: { value: string } }) =>
    setFields({ ...fields, [k]: e.target.value });
  const v = (k: string) => fields[k]?.trim() ?? '';

  function config() {
    if (type === 'slack') return { webhookUrl: v('webhookUrl') };
    if (type === 'webhook') return { url: v('url'), secrets: [v('secret')] };
    const to = v('to')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    return {
      host: v('host'),
      from: v('from'),
      ...(v('port') ? { port: Number(v('port')) } : {}),
      ...(v('username') ? { username: v('username'), password: v('password') } : {}),
      ...(to.length ? { to } : {}),
    };
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    setDone(false);
    if (!name.trim()) return setErrors({ name: 'Give the channel a name.' });
    try {
      await ok(
        api.POST('/api/v1/notification-channels', { body: { name: name.trim(), type, config: config() } }),
      );
      setErrors({});
      setFields({});
      setName('');
      setDone(true);
      onCreated();
    } catch (err) {
      const f = err instanceof ApiError ? err.fieldErrors() : {};
      const mapped = Object.fromEntries(
        Object.entries(f).map(([k, m]) => [k.replace(/^config\.(secrets\.\d+)?/, '') || 'secret', m]),
      );
      setErrors(mapped);
      setError(err);
    }
  }

  const input = (
    key: string,
    label: string,
    props: { type?: string; hint?: string; required?: boolean } = {},
  ) => (
    <Field label={label} error={errors[key]} hint={props.hint} required={props.required}>
      {(p) => <input {...p} type={props.type ?? 'text'} value={fields[key] ?? ''} onChange={set(key)} />}
    </Field>
  );

  return (
    <form className="panel" onSubmit={submit} noValidate aria-labelledby="new-channel-heading">
      <h3 id="new-channel-heading">Add a channel</h3>
      <div className="form-row">
        <Field label="Name" required error={errors.name}>
          {(p) => <input {...p} value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label="Type">
          {(p) => (
            <select {...p} value={type} onChange={(e) => setType(e.target.value as Kind)}>
              <option value="slack">Slack</option>
              <option value="webhook">Webhook</option>
              <option value="email">E-mail (SMTP)</option>
            </select>
          )}
        </Field>
      </div>
      {type === 'slack' && input('webhookUrl', 'Slack webhook URL', { type: 'url', required: true })}
      {type === 'webhook' && (
        <div className="form-row">
          {input('url', 'URL', { type: 'url', required: true })}
          {input('secret', 'Signing secret', {
            type: 'password',
            required: true,
            hint: 'At least 16 characters.',
          })}
        </div>
      )}
      {type === 'email' && (
        <div className="form-row">
          {input('host', 'SMTP host', { required: true })}
          {input('port', 'Port', { type: 'number', hint: 'Empty: 587.' })}
          {input('from', 'From address', { type: 'email', required: true })}
          {input('to', 'Send group notices to', { hint: 'Addresses separated by commas.' })}
          {input('username', 'Username')}
          {input('password', 'Password', { type: 'password' })}
        </div>
      )}
      <ErrorNote error={error} />
      {done && <Success>Channel added.</Success>}
      <button type="submit" className="button-primary">
        Add channel
      </button>
    </form>
  );
}
