import { useState, type FormEvent } from 'react';
import { api, ok } from '../../api/client';
import { ApiError } from '../../api/errors';
import type { Connection, ConnectionKind } from '../../api/types';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { ErrorNote, Success } from '../../components/Notice';
import { kindLabel, modeExplained, modeLabel } from '../../lib/connections';
import { AccountRuleFields } from './AccountRuleFields';
import { ConnectionKindFields } from './ConnectionKindFields';
import { ConnectionTest } from './ConnectionTest';
import {
  accountRuleOf,
  configOf,
  fieldKeys,
  initialValues,
  secretsOf,
  type Values,
} from './connection-values';

// Adding or changing a connected system. The API checks the settings and names the field at fault, shown at
// that field. Once saved, the dialog offers to test the connection with what was saved.

interface Props {
  /** The connection to change; none to add one. */
  connection?: Connection;
  onClose: (saved: boolean) => void;
}

const KINDS: ConnectionKind[] = ['postgres', 'ldap', 'scim'];
const MODES = ['report', 'enforce'] as const;

export function ConnectionFormDialog({ connection, onClose }: Props) {
  const [values, setValues] = useState<Values>(() => initialValues(connection));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<Connection>();
  const set = (key: string, value: string | boolean) => setValues((v) => ({ ...v, [key]: value }));
  const kind = values.kind as ConnectionKind;
  const editing = connection !== undefined;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    const name = String(values.name).trim();
    if (!name) return setErrors({ name: 'Name the system, as people here call it.' });
    const minutes = String(values.syncMinutes).trim();
    const body = {
      name,
      config: configOf(kind, values),
      mode: values.mode as Connection['mode'],
      ...(minutes ? { syncMinutes: Number(minutes) } : {}),
      accountRule: accountRuleOf(values),
    };
    const secrets = secretsOf(kind, values);
    setBusy(true);
    try {
      const result = connection
        ? await ok(
            api.PATCH('/api/v1/connections/{id}', {
              params: { path: { id: connection.id } },
              body: { ...body, ...(secrets ? { secrets } : {}) },
            }),
          )
        : await ok(api.POST('/api/v1/connections', { body: { ...body, kind, secrets: secrets ?? {} } }));
      setErrors({});
      setSaved(result);
    } catch (err) {
      const fields = err instanceof ApiError ? err.fieldErrors() : {};
      setErrors(fields);
      // A problem that names no field shown here is shown under the form.
      const shown = fieldKeys(kind);
      const elsewhere =
        Object.keys(fields).length === 0 || Object.keys(fields).some((f) => !shown.includes(f));
      setError(elsewhere ? err : undefined);
    } finally {
      setBusy(false);
    }
  }

  const title = editing ? `Change ${connection.name}` : 'Connect a system';
  if (saved)
    return (
      <Dialog title={title} onClose={() => onClose(true)}>
        <Success>
          <p>
            {editing ? 'Saved the changes to' : 'Connected'} {saved.name}. Test it now to see that Latch can
            reach it with these settings.
          </p>
        </Success>
        <ConnectionTest connection={saved} primary />
        <div className="dialog-actions">
          <button type="button" onClick={() => onClose(true)}>
            Done
          </button>
        </div>
      </Dialog>
    );

  return (
    <Dialog title={title} onClose={() => onClose(false)} wide>
      <form onSubmit={submit} noValidate>
        <div className="form-row">
          <Field label="Name" required error={errors.name}>
            {(p) => (
              <input
                {...p}
                value={String(values.name)}
                maxLength={200}
                placeholder="Production cluster"
                onChange={(e) => set('name', e.target.value)}
                data-autofocus
              />
            )}
          </Field>
          <Field
            label="Kind of system"
            error={errors.kind}
            hint={editing ? 'Add a new connection for another kind of system.' : undefined}
          >
            {(p) => (
              <select {...p} value={kind} disabled={editing} onChange={(e) => set('kind', e.target.value)}>
                {KINDS.map((k) => (
                  <option key={k} value={k}>
                    {kindLabel[k]}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <ConnectionKindFields kind={kind} values={values} set={set} errors={errors} editing={editing} />
        <fieldset className="choices">
          <legend>When Latch finds members it did not give access to</legend>
          {MODES.map((m) => (
            <label key={m} className="choice">
              <input
                type="radio"
                name="mode"
                value={m}
                checked={values.mode === m}
                onChange={() => set('mode', m)}
              />
              <span>
                <strong>{modeLabel[m]}</strong> <span className="muted small">{modeExplained[m]}</span>
              </span>
            </label>
          ))}
          {errors.mode && <div className="field-error">{errors.mode}</div>}
        </fieldset>
        <AccountRuleFields values={values} set={set} errors={errors} />
        <Field
          label="Sync every (minutes)"
          error={errors.syncMinutes}
          hint="How often Latch reads the system, puts back access that is missing there and looks for drift; from 1 to 10080 (a week)."
        >
          {(p) => (
            <input
              {...p}
              type="number"
              min={1}
              max={10080}
              value={String(values.syncMinutes)}
              onChange={(e) => set('syncMinutes', e.target.value)}
            />
          )}
        </Field>
        <ErrorNote error={error} />
        <div className="dialog-actions">
          <button type="button" onClick={() => onClose(false)}>
            Cancel
          </button>
          <button type="submit" className="button-primary" disabled={busy}>
            {editing ? 'Save changes' : 'Save connection'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
