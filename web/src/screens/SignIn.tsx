import { useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../api/errors';
import { cookieTransport, signIn } from '../api/session';
import type { SessionInfo } from '../api/types';
import { BrandMark } from '../components/BrandMark';
import { Field } from '../components/Field';
import { ErrorNote } from '../components/Notice';
import { PageHeader } from '../components/PageHeader';

// Sign-in with an API token. The token is sent once to /session; the browser keeps only the session cookie.

const sentences: Record<string, string> = {
  unauthenticated: 'That token was not accepted. It may be mistyped, revoked or expired.',
  forbidden: 'This account is suspended. Ask an administrator to re-activate it.',
};

export function SignIn({ onSignedIn }: { onSignedIn: (s: SessionInfo) => void }) {
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [fieldError, setFieldError] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [transport, setTransport] = useState<{ dropped: boolean; warning: string | null }>();

  useEffect(() => {
    void cookieTransport()
      .then(setTransport)
      .catch(() => undefined);
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
        <PageHeader title="Sign in" intro="Paste an API token. Single sign-on is coming later." />
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
          <button type="submit" className="button-primary" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      </div>
    </main>
  );
}
