import { useEffect, useRef, useState } from 'react';
import { BrandMark } from './components/BrandMark';
import { useReviewsInNav } from './lib/access-reviews';
import { useDirectory } from './lib/directory';
import { useInbox } from './lib/inbox';
import { Link, matchPath, useLocation } from './lib/router';
import { Audit } from './screens/Audit';
import { Catalog } from './screens/Catalog';
import { GroupPage } from './screens/GroupPage';
import { InboxScreen } from './screens/InboxScreen';
import { ItemPage } from './screens/ItemPage';
import { Inventory } from './screens/Inventory';
import { MyAccess } from './screens/MyAccess';
import { NewReview } from './screens/NewReview';
import { NotFound } from './screens/NotFound';
import { People } from './screens/People';
import { PersonPage } from './screens/PersonPage';
import { Requests } from './screens/Requests';
import { ResourcePage } from './screens/ResourcePage';
import { ReviewCampaign } from './screens/ReviewCampaign';
import { Reviews } from './screens/Reviews';
import { Settings } from './screens/Settings';

// The frame around every screen: skip link, header with navigation (a menu button on phones), the screen
// for the current URL. After navigating, focus moves to the new screen's heading.

interface NavItem {
  to: string;
  label: string;
  match: string;
}

function screenFor(path: string) {
  let p: Record<string, string> | null;
  if (path === '/' || path === '/catalog') return <Catalog />;
  if ((p = matchPath('/catalog/groups/:id', path))) return <ItemPage kind="group" id={p.id!} />;
  if ((p = matchPath('/catalog/resources/:id', path))) return <ItemPage kind="resource" id={p.id!} />;
  if (path === '/access') return <MyAccess />;
  if (path === '/requests') return <Requests />;
  if (path === '/inventory') return <Inventory />;
  if ((p = matchPath('/inventory/groups/:id/:tab?', path))) return <GroupPage id={p.id!} tab={p.tab} />;
  if ((p = matchPath('/inventory/resources/:id/:tab?', path))) return <ResourcePage id={p.id!} tab={p.tab} />;
  if (path === '/reviews') return <Reviews />;
  if (path === '/reviews/new') return <NewReview />;
  if ((p = matchPath('/reviews/:id', path))) return <ReviewCampaign id={p.id!} />;
  if (path === '/audit') return <Audit />;
  if (path === '/inbox') return <InboxScreen />;
  if (path === '/people') return <People />;
  if ((p = matchPath('/people/:id', path))) return <PersonPage id={p.id!} />;
  if ((p = matchPath('/settings/:section?/:id?', path))) return <Settings section={p.section} id={p.id} />;
  return <NotFound />;
}

export function Shell({ onSignOut }: { onSignOut: () => void }) {
  const dir = useDirectory();
  const { inbox, reload: reloadInbox } = useInbox();
  const unread = inbox?.unreadCount ?? 0;
  const { path } = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  // The inventory is for those who run items or read who has access to them, and for those who create them.
  const managesSomething =
    dir.me.abilities.createItems ||
    [...dir.groups.values(), ...dir.resources.values()].some((item) => item.abilities.readAccess);
  const reviews = useReviewsInNav(dir, path);
  const items: NavItem[] = [
    { to: '/catalog', label: 'Catalog', match: '/catalog' },
    { to: '/access', label: 'My access', match: '/access' },
    { to: '/requests', label: 'Requests', match: '/requests' },
    ...(managesSomething ? [{ to: '/inventory', label: 'Inventory', match: '/inventory' }] : []),
    ...(dir.me.abilities.listUsers ? [{ to: '/people', label: 'People', match: '/people' }] : []),
    ...(reviews ? [{ to: '/reviews', label: 'Reviews', match: '/reviews' }] : []),
    { to: '/audit', label: 'Audit log', match: '/audit' },
    { to: '/settings/tokens', label: 'Settings', match: '/settings' },
  ];
  const current = (item: NavItem) =>
    path.startsWith(item.match) || (path === '/' && item.match === '/catalog');

  // What waits may have changed with what was just done (a review, a decision): read the inbox again.
  useEffect(() => reloadInbox(), [path, reloadInbox]);

  useEffect(() => {
    setMenuOpen(false);
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    mainRef.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [path]);

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/catalog" className="brand">
          <BrandMark />
          Latch
        </Link>
        <Link
          to="/inbox"
          className="bell"
          aria-label={unread ? `Inbox, ${unread} unread` : 'Inbox'}
          aria-current={path === '/inbox' ? 'page' : undefined}
        >
          <svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20">
            <path
              fill="currentColor"
              d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
            />
          </svg>
          {unread > 0 && (
            <span className="bell-count" aria-hidden="true">
              {unread > 99 ? '99+' : unread}
            </span>
          )}
        </Link>
        <button
          type="button"
          className="menu-button"
          aria-expanded={menuOpen}
          aria-controls="main-nav"
          onClick={() => setMenuOpen((o) => !o)}
        >
          Menu
        </button>
        <nav id="main-nav" aria-label="Main" className={menuOpen ? 'main-nav open' : 'main-nav'}>
          <ul>
            {items.map((item) => (
              <li key={item.to}>
                <Link to={item.to} aria-current={current(item) ? 'page' : undefined}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
          <div className="account">
            <span className="account-name" title={dir.me.email}>
              {dir.me.name || dir.me.email}
              <span className="role-badge">{dir.me.role}</span>
            </span>
            <button type="button" className="button-quiet" onClick={onSignOut}>
              Sign out
            </button>
          </div>
        </nav>
      </header>
      <main id="main" ref={mainRef} tabIndex={-1}>
        {screenFor(path)}
      </main>
    </div>
  );
}
