import { useEffect, useState } from 'react';
import { onSignedOut } from './api/client';
import { currentSession, signOut } from './api/session';
import type { SessionInfo } from './api/types';
import { ErrorNote, Loading } from './components/Notice';
import { DirectoryProvider } from './lib/directory';
import { InboxProvider } from './lib/inbox';
import { navigate, useLocation } from './lib/router';
import { Shell } from './Shell';
import { SignIn } from './screens/SignIn';

// The session gate: without a session every URL shows the sign-in screen (and keeps its URL, so a deep link
// opens once signed in); with one, the app. A 401 from any call means the session is over.

export function App() {
  const [session, setSession] = useState<SessionInfo | null>();
  const [error, setError] = useState<unknown>();
  const { path } = useLocation();

  useEffect(() => {
    currentSession().then(setSession, (err: unknown) => {
      setError(err);
      setSession(null);
    });
    return onSignedOut(() => setSession(null));
  }, []);

  useEffect(() => {
    if (session && path === '/sign-in') navigate('/catalog', { replace: true });
  }, [session, path]);

  if (session === undefined) return <Loading what="Opening Latch" />;
  if (!session)
    return (
      <>
        {error ? <ErrorNote error={error} /> : null}
        <SignIn onSignedIn={setSession} />
      </>
    );

  async function end() {
    try {
      await signOut();
    } finally {
      setSession(null);
      navigate('/sign-in');
    }
  }

  return (
    <DirectoryProvider key={session.user.id} session={session}>
      <InboxProvider>
        <Shell onSignOut={end} />
      </InboxProvider>
    </DirectoryProvider>
  );
}
