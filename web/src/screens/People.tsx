import { useState, type FormEvent } from 'react';
import { UserStatus } from '../components/UserStatus';
import { foundStatus, SearchBar } from '../components/SearchBar';
import { api, ok } from '../api/client';
import { ApiError } from '../api/errors';
import type { User } from '../api/types';
import { Field } from '../components/Field';
import { Empty, ErrorNote, Loading, Success } from '../components/Notice';
import { PageHeader } from '../components/PageHeader';
import { useDirectory } from '../lib/directory';
import { Link, setQuery, useLocation } from '../lib/router';
import { formatDateTime } from '../lib/time';
import { useDebounced, useLoad } from '../lib/use-load';

// People, for admins (auditors read): find anyone by name or e-mail, add people, and open a person to change
// their role or status and manage their tokens.

const ROLES: User['role'][] = ['member', 'auditor', 'admin'];

function NewPersonForm({ onCreated }: { onCreated: (u: User) => void }) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<User['role']>('member');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    const problems: Record<string, string> = {};
    if (!name.trim()) problems.name = 'Give the person’s name.';
    if (!/^[^@\s]+@[^@\s]+$/.test(email.trim()))
      problems.email = 'Give an e-mail address like ana@example.com.';
    setErrors(problems);
    if (Object.keys(problems).length) return;
    try {
      const created = await ok(
        api.POST('/api/v1/users', { body: { name: name.trim(), email: email.trim(), role } }),
      );
      setName('');
      setEmail('');
      setRole('member');
      onCreated(created);
    } catch (err) {
      const fields = err instanceof ApiError ? err.fieldErrors() : {};
      if (err instanceof ApiError && err.code === 'conflict') setErrors({ email: err.message });
      else if (Object.keys(fields).length) setErrors(fields);
      else setError(err);
    }
  }

  return (
    <form className="panel" onSubmit={submit} noValidate aria-labelledby="new-person-heading">
      <h2 id="new-person-heading">Add a person</h2>
      <div className="form-row">
        <Field label="Name" required error={errors.name}>
          {(p) => <input {...p} value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label="E-mail" required error={errors.email}>
          {(p) => (
            <input
              {...p}
              type="email"
              value={email}
              maxLength={254}
              onChange={(e) => setEmail(e.target.value)}
            />
          )}
        </Field>
        <Field label="Role" error={errors.role}>
          {(p) => (
            <select {...p} value={role} onChange={(e) => setRole(e.target.value as User['role'])}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <ErrorNote error={error} />
      <button type="submit" className="button-primary">
        Add person
      </button>
    </form>
  );
}

export function People() {
  const dir = useDirectory();
  const { query } = useLocation();
  const [text, setText] = useState(query.get('q') ?? '');
  const search = useDebounced(text.trim(), 250);
  const [created, setCreated] = useState<User>();
  const list = useLoad(
    () => ok(api.GET('/api/v1/users', { params: { query: { query: search || undefined, limit: 200 } } })),
    [search],
  );
  const canCreate = dir.me.abilities.createUsers;

  return (
    <>
      <PageHeader title="People" intro="Everyone who can sign in to Latch, their role and their status." />
      {canCreate && (
        <NewPersonForm
          onCreated={(u) => {
            setCreated(u);
            dir.remember(u);
            list.reload();
          }}
        />
      )}
      {created && (
        <Success>
          <Link to={`/people/${created.id}`}>{created.name}</Link> was added. Open them to create a token they
          can sign in with.
        </Success>
      )}
      <SearchBar
        label="Search people"
        placeholder="Search by name or e-mail"
        value={text}
        onChange={(value) => {
          setText(value);
          setQuery({ q: value.trim() || undefined });
        }}
        status={foundStatus(list)}
      />
      <ErrorNote error={list.error} />
      {list.loading && !list.data && <Loading />}
      {list.data && list.data.items.length === 0 && <Empty>Nobody matches “{search}”.</Empty>}
      {list.data && list.data.items.length > 0 && (
        <table className="data cards">
          <caption className="visually-hidden">People</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">E-mail</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col">Added</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((u) => (
              <tr key={u.id}>
                <th scope="row" data-label="Name">
                  <Link to={`/people/${u.id}`}>{u.name}</Link>
                </th>
                <td data-label="E-mail">{u.email}</td>
                <td data-label="Role">{u.role}</td>
                <td data-label="Status">
                  <UserStatus user={u} />
                </td>
                <td data-label="Added">{u.createdAt ? formatDateTime(u.createdAt) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.data?.nextCursor && <p className="muted small">More people match: refine the search.</p>}
    </>
  );
}
