import { useState } from 'react';
import { api, ok } from '../api/client';
import type { User } from '../api/types';
import { UserStatus } from '../components/UserStatus';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Field } from '../components/Field';
import { ErrorNote, Loading, Success } from '../components/Notice';
import { PageHeader } from '../components/PageHeader';
import { useDirectory } from '../lib/directory';
import { Link } from '../lib/router';
import { formatDateTime } from '../lib/time';
import { useLoad } from '../lib/use-load';
import { TokensSection } from './settings/TokensSection';

// One person, for admins: their role and status (suspending ends their sessions and revokes their tokens), and
// their API tokens (mint one they can sign in with, revoke one that leaked).

export function PersonPage({ id }: { id: string }) {
  const dir = useDirectory();
  const person = useLoad(() => ok(api.GET('/api/v1/users/{id}', { params: { path: { id } } })), [id]);
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState<string>();
  const [confirm, setConfirm] = useState<'suspended' | 'active'>();
  const manage = dir.me.abilities.manageUsers;
  const u = person.data;

  async function change(patch: { role?: User['role']; status?: User['status'] }, said: string) {
    setError(undefined);
    setSaved(undefined);
    try {
      person.setData(await ok(api.PATCH('/api/v1/users/{id}', { params: { path: { id } }, body: patch })));
      setSaved(said);
    } catch (err) {
      setError(err);
    }
  }

  return (
    <>
      <p className="breadcrumb">
        <Link to="/people">People</Link>
      </p>
      {person.loading && !u && <Loading />}
      <ErrorNote error={person.error} />
      {u && (
        <>
          <PageHeader title={u.name} intro={u.email} />
          <dl className="facts">
            <dt>Status</dt>
            <dd>
              <UserStatus user={u} />
            </dd>
            <dt>Added</dt>
            <dd>
              {formatDateTime(u.createdAt)}
              {u.source !== 'local' && (
                <span className="muted">
                  {' '}
                  {u.source === 'scim'
                    ? 'by the identity provider (SCIM)'
                    : 'at first sign-in through single sign-on'}
                  {u.externalId && <> · its id {u.externalId}</>}
                </span>
              )}
            </dd>
            {u.deprovisionedAt && (
              <>
                <dt>Deprovisioned</dt>
                <dd>
                  {formatDateTime(u.deprovisionedAt)} by the identity provider: every access ended, kept for
                  the history that names them
                </dd>
              </>
            )}
          </dl>
          {manage && u.id !== dir.me.id && !u.deprovisionedAt && (
            <div className="panel">
              <Field
                label="Role"
                hint="Admins manage everything; auditors read everything and change nothing."
              >
                {(p) => (
                  <select
                    {...p}
                    value={u.role}
                    onChange={(e) => void change({ role: e.target.value as User['role'] }, 'Role changed.')}
                  >
                    <option value="member">member</option>
                    <option value="auditor">auditor</option>
                    <option value="admin">admin</option>
                  </select>
                )}
              </Field>
              <div className="row-actions">
                {u.status === 'active' ? (
                  <button type="button" className="button-danger" onClick={() => setConfirm('suspended')}>
                    Suspend {u.name}
                  </button>
                ) : (
                  <button type="button" onClick={() => setConfirm('active')}>
                    Re-activate {u.name}
                  </button>
                )}
              </div>
              {saved && <Success>{saved}</Success>}
              <ErrorNote error={error} />
            </div>
          )}
          {manage && <TokensSection userId={u.id} whose={u.id === dir.me.id ? undefined : u.name} />}
          {confirm && (
            <ConfirmDialog
              title={confirm === 'suspended' ? `Suspend ${u.name}?` : `Re-activate ${u.name}?`}
              confirm={confirm === 'suspended' ? 'Suspend' : 'Re-activate'}
              danger={confirm === 'suspended'}
              onConfirm={() =>
                change(
                  { status: confirm },
                  confirm === 'suspended' ? `${u.name} is suspended.` : `${u.name} is active again.`,
                )
              }
              onClose={() => setConfirm(undefined)}
            >
              {confirm === 'suspended' ? (
                <p>They are signed out everywhere and every one of their tokens is revoked at once.</p>
              ) : (
                <p>They can sign in again with a new token; their old tokens stay revoked.</p>
              )}
            </ConfirmDialog>
          )}
        </>
      )}
    </>
  );
}
