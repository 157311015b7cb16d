import { useId, type ReactNode } from 'react';
import type { ConnectionKind } from '../../api/types';
import { Field } from '../../components/Field';
import { secretKey, type Values } from './connection-values';

// Where a connected system is and how Latch signs in to it, for each kind. The secret is a password field; when
// editing, it starts empty and stays as it is unless something is typed.

interface Props {
  kind: ConnectionKind;
  values: Values;
  set: (key: string, value: string | boolean) => void;
  errors: Record<string, string>;
  editing: boolean;
}

const secretLabel: Record<ConnectionKind, string> = {
  postgres: 'Password',
  ldap: 'Bind password',
  scim: 'Bearer token',
};

export function ConnectionKindFields({ kind, values, set, errors, editing }: Props) {
  const str = (key: string) => (typeof values[key] === 'string' ? (values[key] as string) : '');
  const input = (
    key: string,
    label: string,
    opts: { hint?: ReactNode; required?: boolean; type?: string; placeholder?: string } = {},
  ) => (
    <Field label={label} hint={opts.hint} required={opts.required} error={errors[key]}>
      {(p) => (
        <input
          {...p}
          type={opts.type ?? 'text'}
          value={str(key)}
          placeholder={opts.placeholder}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => set(key, e.target.value)}
        />
      )}
    </Field>
  );
  const check = (key: string, label: string, hint: string) => (
    <CheckField
      label={label}
      hint={hint}
      error={errors[key]}
      checked={values[key] === true}
      onChange={(on) => set(key, on)}
    />
  );
  const secret = `secrets.${secretKey[kind]}`;

  return (
    <fieldset>
      <legend>Where it is</legend>
      {kind === 'postgres' && (
        <>
          <div className="form-row">
            {input('config.host', 'Host', { required: true, placeholder: 'db.example.com' })}
            {input('config.port', 'Port', { required: true, type: 'number' })}
          </div>
          <div className="form-row">
            {input('config.database', 'Database', { required: true })}
            {input('config.user', 'Role Latch signs in as', {
              required: true,
              hint: 'A role with CREATEROLE, never a superuser.',
            })}
          </div>
          <Field label="TLS" error={errors['config.sslmode']}>
            {(p) => (
              <select
                {...p}
                value={str('config.sslmode')}
                onChange={(e) => set('config.sslmode', e.target.value)}
              >
                <option value="verify-full">Required, certificate checked (verify-full)</option>
                <option value="require">Required, certificate not checked (require)</option>
                <option value="disable">Off (disable)</option>
              </select>
            )}
          </Field>
          {check(
            'config.terminateSessions',
            'End open sessions when access is taken away',
            'The role also needs pg_signal_backend for this.',
          )}
        </>
      )}
      {kind === 'ldap' && (
        <>
          {input('config.url', 'URL', { required: true, placeholder: 'ldaps://ldap.example.com' })}
          {input('config.bindDn', 'Bind DN', {
            required: true,
            placeholder: 'cn=latch,ou=services,dc=example,dc=com',
          })}
          <div className="form-row">
            {input('config.userBaseDn', 'Users under', {
              required: true,
              placeholder: 'ou=people,dc=example,dc=com',
            })}
            {input('config.groupBaseDn', 'Groups under', {
              required: true,
              placeholder: 'ou=groups,dc=example,dc=com',
            })}
          </div>
          {input('config.userFilter', 'User filter', {
            hint: 'Finds a person by their account, written {account}. Empty: (mail={account}).',
          })}
          {check('config.startTls', 'Use StartTLS', 'Encrypts an ldap:// connection before signing in.')}
        </>
      )}
      {kind === 'scim' && (
        <>
          {input('config.baseUrl', 'SCIM base URL', {
            required: true,
            type: 'url',
            placeholder: 'https://app.example.com/scim/v2',
            hint: 'An https address (plain http only on this machine).',
          })}
          {check(
            'config.createUsers',
            'Create missing users',
            'A member without a user in the app gets one, named by the account rule.',
          )}
        </>
      )}
      <Field
        label={secretLabel[kind]}
        required={!editing}
        error={errors[secret]}
        hint={
          editing
            ? 'Leave empty to keep the current one; it is never shown again.'
            : 'Stored encrypted and never shown again.'
        }
      >
        {(p) => (
          <input
            {...p}
            type="password"
            value={str(secret)}
            autoComplete="new-password"
            onChange={(e) => set(secret, e.target.value)}
          />
        )}
      </Field>
    </fieldset>
  );
}

/** A checkbox with its hint and error read out with it. */
function CheckField(props: {
  label: string;
  hint: string;
  error: string | undefined;
  checked: boolean;
  onChange: (on: boolean) => void;
}) {
  const id = useId();
  return (
    <div className="field">
      <label className="choice">
        <input
          type="checkbox"
          checked={props.checked}
          aria-describedby={`${id}-hint${props.error ? ` ${id}-error` : ''}`}
          onChange={(e) => props.onChange(e.target.checked)}
        />{' '}
        {props.label}
      </label>
      <div id={`${id}-hint`} className="hint">
        {props.hint}
      </div>
      {props.error && (
        <div id={`${id}-error`} className="field-error">
          {props.error}
        </div>
      )}
    </div>
  );
}
