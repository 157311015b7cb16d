import { Link } from '../lib/router';

// Tabs that are pages: each has its own URL, so they are links marked with aria-current rather than an
// ARIA tablist.

export interface Tab {
  id: string;
  label: string;
}

export function TabNav({
  tabs,
  current,
  base,
  label,
}: {
  tabs: Tab[];
  current: string;
  base: string;
  label: string;
}) {
  return (
    <nav className="tabs" aria-label={label}>
      <ul>
        {tabs.map((t) => (
          <li key={t.id}>
            <Link to={`${base}/${t.id}`} aria-current={t.id === current ? 'page' : undefined}>
              {t.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
