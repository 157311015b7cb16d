import { useEffect, useRef } from 'react';
import type { InboxItem } from '../api/types';
import { Empty, ErrorNote, Loading } from '../components/Notice';
import { PageHeader } from '../components/PageHeader';
import { useDirectory, type Directory } from '../lib/directory';
import { useInbox } from '../lib/inbox';
import { Link } from '../lib/router';
import { formatDateTime } from '../lib/time';

// What waits for you, newest first: break-glass activations to review, requests to decide, your access about
// to end. Opening the inbox marks what it shows as read; new items keep their "New" mark until you come back.

function what(item: InboxItem, dir: Directory): string {
  const names = item.items.map((i) => dir.itemName(i)).join(', ');
  const why = item.reason ? `: “${item.reason}”` : '';
  switch (item.kind) {
    case 'break_glass.review':
      return `${dir.userName(item.userId)} broke glass on ${names}${why}`;
    case 'request.decide':
      return `${dir.userName(item.userId)} asks for ${names}${why}`;
    case 'access.expiring':
      return `Your access to ${names} ends ${formatDateTime(item.due)}`;
  }
}

function action(item: InboxItem): { to: string; label: string; due: string } {
  switch (item.kind) {
    case 'break_glass.review':
      return {
        to: `/inventory/groups/${item.items[0]?.groupId ?? ''}/break-glass`,
        label: 'Review',
        due: item.overdue ? 'Review overdue' : `Review by ${formatDateTime(item.due)}`,
      };
    case 'request.decide':
      return { to: '/requests', label: 'Decide', due: `Decide by ${formatDateTime(item.due)}` };
    case 'access.expiring':
      return { to: '/access', label: 'See my access', due: 'Ask to extend it if you still need it' };
  }
}

export function InboxScreen() {
  const dir = useDirectory();
  const { inbox, error, markRead } = useInbox();
  // What was new when the screen opened stays marked as new while it is open.
  const newOnOpen = useRef<Set<string> | null>(null);
  if (inbox && newOnOpen.current === null)
    newOnOpen.current = new Set(inbox.items.filter((i) => i.unread).map((i) => `${i.kind}:${i.id}`));

  useEffect(() => {
    if (inbox?.unreadCount) void markRead().catch(() => undefined);
  }, [inbox, markRead]);

  return (
    <>
      <PageHeader
        title="Inbox"
        intro="What waits for you: break-glass activations to review, requests to decide, and your access that ends within a day."
      />
      <ErrorNote error={error} />
      {!inbox && !error && <Loading />}
      {inbox && inbox.items.length === 0 && <Empty>Nothing waits for you.</Empty>}
      {inbox && inbox.items.length > 0 && (
        <ul className="inbox-list">
          {inbox.items.map((item) => {
            const key = `${item.kind}:${item.id}`;
            const next = action(item);
            return (
              <li key={key} className={`card inbox-item${item.overdue ? ' inbox-overdue' : ''}`}>
                <p className="inbox-what">
                  {newOnOpen.current?.has(key) && <span className="badge badge-warn">New</span>}{' '}
                  {what(item, dir)}
                </p>
                <p className="muted small">
                  {formatDateTime(item.at)} · {next.due}
                </p>
                <Link to={next.to} className="button">
                  {next.label}
                </Link>
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
