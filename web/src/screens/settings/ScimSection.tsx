import { useState, type FormEvent } from 'react';
import { api, ok } from '../../api/client';
import { ApiError } from '../../api/errors';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Field } from '../../components/Field';
import { TokenTable } from '../../components/TokenTable';
import { Empty, ErrorNote, Loading } from '../../components/Notice';
import { SecretNotice } from '../../components/SecretNotice';
import { useLoad } from '../../lib/use-load';

// The identity provider's provisioning connection (admins): where its SCIM client points, and the tokens it
// uses. Users and groups it pushes appear in People and the inventory, marked as coming from it.

type ScimToken = {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

export function ScimSection() {
  const tokens = useLoad(() => ok(api.GET('/api/v1/scim-tokens')), []);
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [secret, setSecret] = useState<{ name: string; token: string }>();
  const [revoking, setRevoking] = useState<ScimToken>();
  const endpoint = `${window.location.origin}/scim/v2`;

  async function create(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    if (!name.trim()) return setNameError('Name the token after the identity provider that will use it.');
    setNameError(undefined);
    try {
      const minted = await ok(api.POST('/api/v1/scim-tokens', { body: { name: name.trim() } }));
      setSecret({ name: minted.name, token: minted.token });
      setName('');
      tokens.reload();
    } catch (err) {
      if (err instanceof ApiError && err.fieldErrors().name) setNameError(err.fieldErrors().name);
      else setError(err);
    }
  }

  const live = tokens.data?.items.filter((t) => !t.revokedAt) ?? [];
  return (
    <section aria-labelledby="scim-heading">
      <h2 id="scim-heading">Identity provider (SCIM)</h2>
      <p>
        Point your identity provider’s SCIM 2.0 provisioning at <code>{endpoint}</code> with one of these
        tokens as the bearer token. It then creates, updates and deactivates people and pushes groups;
        memberships of pushed groups are changed there, not here.
      </p>
      {secret && (
        <SecretNotice
          name={secret.name}
          secret={secret.token}
          what="SCIM token"
          onDone={() => setSecret(undefined)}
        />
      )}
      <ErrorNote error={tokens.error} />
      {tokens.loading && !tokens.data && <Loading />}
      {tokens.data && live.length === 0 && <Empty>No identity provider is connected.</Empty>}
      {live.length > 0 && <TokenTable tokens={live} showExpiry={false} onRevoke={setRevoking} />}
      <form className="panel" onSubmit={create} noValidate aria-labelledby="new-scim-token-heading">
        <h3 id="new-scim-token-heading">Connect an identity provider</h3>
        <Field label="Name" required error={nameError}>
          {(p) => (
            <input
              {...p}
              value={name}
              maxLength={200}
              placeholder="Okta"
              onChange={(e) => setName(e.target.value)}
            />
          )}
        </Field>
        <ErrorNote error={error} />
        <button type="submit" className="button-primary">
          Create SCIM token
        </button>
      </form>
      {revoking && (
        <ConfirmDialog
          title={`Revoke the SCIM token “${revoking.name}”?`}
          confirm="Revoke token"
          danger
          onConfirm={() =>
            ok(api.DELETE('/api/v1/scim-tokens/{id}', { params: { path: { id: revoking.id } } }))
          }
          onClose={(done) => {
            setRevoking(undefined);
            if (done) tokens.reload();
          }}
        >
          <p>
            The identity provider can no longer create, change or deactivate anyone until it gets a new token.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
