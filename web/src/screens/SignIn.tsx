import { useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../api/errors';
import { authMethods, cookieTransport, oidcLoginUrl, signIn } from '../api/session';
import type { SessionInfo } from '../api/types';
import { BrandMark } from '../components/BrandMark';
import { Field } from '../components/Field';
import { ErrorNote } from '../components/Notice';
import { PageHeader } from '../components/PageHeader';

// Sign-in: through the identity provider when single sign-on is configured, and always with an API token, the
// emergency way in that works when the provider is down. The token is sent once to /session; the browser keeps
// only the session cookie. A single sign-on the server refused comes back here with `signInError`.

const sentences: Record<string, string> = {
  unauthenticated: 'That token was not accepted. It may be mistyped, revoked or expired.',
  forbidden: 'This account is suspended. Ask an administrator to re-activate it.',
};

const ssoSentences: Record<string, string> = {
  no_verified_email: 'The identity provider did not confirm a verified e-mail address for you.',
  suspended: 'This account is suspended. Ask an administrator to re-activate it.',
  deprovisioned: 'This account has been removed by the identity provider.',
  creation_disabled: 'There is no Latch account for you yet. Ask an administrator to add you.',
  linked_to_another_subject: 'This e-mail belongs to a Latch account linked to another identity.',
  state_mismatch: 'The sign-in took too long or was started elsewhere. Please try again.',
  provider_error: 'The identity provider did not sign you in.',
  provider_unavailable: 'The identity provider cannot be reached. Use an API token meanwhile.',
  invalid_id_token: 'The identity provider’s answer could not be verified.',
};

/** The refusal the server reported, read once and removed from the address bar. */
function takeSignInError(): string | undefined {
  const url = new URL(window.location.href);
  const reason = url.searchParams.get('signInError');
  if (reason === null) return undefined;
  url.searchParams.delete('signInError');
  history.replaceState(history.state, '', `${url.pathname}${url.search}${url.hash}`);
  return ssoSentences[reason] ?? 'Single sign-on did not work. Please try again.';
}

/** Where to come back to after single sign-on: this page, unless it is the sign-in page itself. */
function hereForReturn(): string {
  const { pathname, search } = window.location;
  return pathname === '/sign-in' ? '/' : `${pathname}${search}`;
}

export function SignIn({ onSignedIn }: { onSignedIn: (s: SessionInfo) => void }) {
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [fieldError, setFieldError] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [transport, setTransport] = useState<{ dropped: boolean; warning: string | null }>();
  const [sso, setSso] = useState<{ providerName: string } | null>();
  const [ssoError] = useState(takeSignInError);

  useEffect(() => {
    void cookieTransport()
      .then(setTransport)
      .catch(() => undefined);
    void authMethods()
      .then((m) => setSso(m.oidc?.enabled ? m.oidc : null))
      .catch(() => setSso(null));
  }, []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    if (!token.trim()) {
      setFieldError('Paste your API token to sign in.');
      return;
    }
    setFieldError(undefined);
    setBusy(true);
    try {
      onSignedIn(await signIn(token.trim()));
    } catch (err) {
      const known = err instanceof ApiError ? sentences[err.code] : undefined;
      if (known) setFieldError(known);
      else setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" className="sign-in">
      <div className="sign-in-card">
        <div className="brand brand-large">
          <BrandMark />
          Latch
        </div>
        <PageHeader
          title="Sign in"
          intro={sso ? `Sign in with your ${sso.providerName} account.` : 'Paste an API token.'}
        />
        {transport?.warning && (
          <div className={`notice ${transport.dropped ? 'notice-error' : 'notice-pending'}`} role="alert">
            <p>
              <strong>
                {transport.dropped
                  ? 'Signing in cannot work from this address.'
                  : 'This connection is not encrypted.'}
              </strong>
            </p>
            <p className="notice-detail">
              {transport.warning.charAt(0).toUpperCase() + transport.warning.slice(1)}.
            </p>
          </div>
        )}
        {ssoError && (
          <div className="notice notice-error" role="alert">
            <p>
              <strong>Single sign-on did not sign you in.</strong>
            </p>
            <p className="notice-detail">{ssoError}</p>
          </div>
        )}
        {sso && (
          <div className="sign-in-sso">
            <a className="button button-primary" href={oidcLoginUrl(hereForReturn())}>
              Sign in with {sso.providerName}
            </a>
          </div>
        )}
        {sso && <h2 className="sign-in-divider">Emergency access: sign in with an API token</h2>}
        {sso && <p className="sign-in-hint">For when {sso.providerName} is unavailable.</p>}
        <form onSubmit={submit} noValidate>
          <Field
            label="API token"
            required
            error={fieldError}
            hint="An administrator can create one for you, or use a token you made under Settings."
          >
            {(props) => (
              <input
                {...props}
                type="password"
                autoComplete="off"
                spellCheck={false}
                value={token}
                onChange={(e) => setToken(e.target.value)}
                autoFocus
              />
            )}
          </Field>
          <ErrorNote error={error} />
          <button type="submit" className={sso ? undefined : 'button-primary'} disabled={busy}>
            {busy ? 'Signing in…' : sso ? 'Sign in with token' : 'Sign in'}
          </button>
        </form>
      </div>
    </main>
  );
}
