import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ok } from '../api/client';
import type { Inbox } from '../api/types';

// The in-app inbox, shared by the bell in the header and the inbox screen: read when the page opens, every
// half minute after, and again after marking it read.

const POLL_MS = 30_000;

interface InboxState {
  inbox: Inbox | undefined;
  error: unknown;
  reload(): void;
  /** Everything shown so far counts as read. */
  markRead(): Promise<void>;
}

const Ctx = createContext<InboxState | null>(null);

export function InboxProvider({ children }: { children: ReactNode }) {
  const [inbox, setInbox] = useState<Inbox>();
  const [error, setError] = useState<unknown>();
  const [round, setRound] = useState(0);
  const reload = useCallback(() => setRound((r) => r + 1), []);

  useEffect(() => {
    let live = true;
    ok(api.GET('/api/v1/inbox'))
      .then((data) => {
        if (!live) return;
        setInbox(data);
        setError(undefined);
      })
      .catch((err: unknown) => live && setError(err));
    const timer = setTimeout(() => setRound((r) => r + 1), POLL_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [round]);

  const markRead = useCallback(async () => {
    const newest = inbox?.items.reduce<string | undefined>((m, i) => (!m || i.at > m ? i.at : m), undefined);
    if (!newest || !inbox?.unreadCount) return;
    // Read up to the newest item shown, so one that arrives meanwhile stays unread.
    const through = new Date(Math.min(Date.parse(newest), Date.now())).toISOString();
    await ok(api.POST('/api/v1/inbox/read', { body: { through } }));
    reload();
  }, [inbox, reload]);

  const value = useMemo(() => ({ inbox, error, reload, markRead }), [inbox, error, reload, markRead]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useInbox(): InboxState {
  const s = useContext(Ctx);
  if (!s) throw new Error('useInbox outside InboxProvider');
  return s;
}
