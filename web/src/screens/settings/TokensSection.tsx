import { useState, type FormEvent } from 'react';
import { api, ok } from '../../api/client';
import { ApiError } from '../../api/errors';
import type { Token } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Field } from '../../components/Field';
import { TokenTable } from '../../components/TokenTable';
import { SecretNotice } from '../../components/SecretNotice';
import { Empty, ErrorNote, Loading } from '../../components/Notice';
import { useDirectory } from '../../lib/directory';
import { useLoad } from '../../lib/use-load';

// API tokens, for scripts and the CLI: my own under Settings, anyone's for admins on their People page. A new
// token's secret is shown once, here, and never again.

const EXPIRY_DAYS = [30, 90, 365];

export function TokensSection({ userId, whose }: { userId?: string; whose?: string } = {}) {
  const dir = useDirectory();
  const me = userId ?? dir.me.id;
  const heading = whose ? `${whose}’s tokens` : 'My tokens';
  const tokens = useLoad(
    () => ok(api.GET('/api/v1/users/{id}/tokens', { params: { path: { id: me } } })),
    [me],
  );
  const [name, setName] = useState('');
  const [days, setDays] = useState('90');
  const [nameError, setNameError] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [secret, setSecret] = useState<{ name: string; token: string }>();
  const [revoking, setRevoking] = useState<Token>();

  async function create(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    if (!name.trim()) return setNameError('Name the token after where it will be used.');
    setNameError(undefined);
    try {
      const expiresAt = days ? new Date(Date.now() + Number(days) * 86_400_000).toISOString() : undefined;
      const body = { name: name.trim(), ...(expiresAt ? { expiresAt } : {}) };
      const minted = await ok(api.POST('/api/v1/users/{id}/tokens', { params: { path: { id: me } }, body }));
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
    <section aria-labelledby="tokens-heading">
      <h2 id="tokens-heading">{heading}</h2>
      {secret && (
        <SecretNotice name={secret.name} secret={secret.token} onDone={() => setSecret(undefined)} />
      )}
      <ErrorNote error={tokens.error} />
      {tokens.loading && !tokens.data && <Loading />}
      {tokens.data && live.length === 0 && (
        <Empty>{whose ? `${whose} has no tokens.` : 'You have no tokens.'}</Empty>
      )}
      {live.length > 0 && <TokenTable tokens={live} showExpiry={true} onRevoke={setRevoking} />}
      <form className="panel" onSubmit={create} noValidate aria-labelledby="new-token-heading">
        <h3 id="new-token-heading">Create a token</h3>
        <div className="form-row">
          <Field label="Name" required error={nameError}>
            {(p) => (
              <input
                {...p}
                value={name}
                maxLength={200}
                placeholder="laptop CLI"
                onChange={(e) => setName(e.target.value)}
              />
            )}
          </Field>
          <Field label="Expires">
            {(p) => (
              <select {...p} value={days} onChange={(e) => setDays(e.target.value)}>
                {EXPIRY_DAYS.map((d) => (
                  <option key={d} value={d}>
                    in {d} days
                  </option>
                ))}
                <option value="">never</option>
              </select>
            )}
          </Field>
        </div>
        <ErrorNote error={error} />
        <button type="submit" className="button-primary">
          Create token
        </button>
      </form>
      {revoking && (
        <ConfirmDialog
          title={`Revoke the token “${revoking.name}”?`}
          confirm="Revoke token"
          danger
          onConfirm={() =>
            ok(
              api.DELETE('/api/v1/users/{id}/tokens/{tokenId}', {
                params: { path: { id: me, tokenId: revoking.id } },
              }),
            )
          }
          onClose={(done) => {
            setRevoking(undefined);
            if (done) tokens.reload();
          }}
        >
          <p>Scripts using it stop working at once.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
