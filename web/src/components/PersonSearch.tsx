import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { api, ok } from '../api/client';
import { ApiError } from '../api/errors';
import { useDirectory, type Person } from '../lib/directory';

// Finds a person by part of their name or e-mail (a combobox over GET /users?query=), for those who pick
// people for what they run: nobody types an internal id. Arrow keys move through the matches, Enter picks.

const MIN_QUERY = 2;
const DEBOUNCE_MS = 200;

interface Props {
  label: string;
  onPick: (person: Person) => void;
  /** Ids already chosen: shown as such and not offered again. */
  exclude?: string[];
  describedBy?: string | undefined;
  invalid?: boolean;
  id?: string;
}

export function PersonSearch({ label, onPick, exclude = [], describedBy, invalid, id: givenId }: Props) {
  const dir = useDirectory();
  const ownId = useId();
  const id = givenId ?? ownId;
  const listId = `${id}-matches`;
  const [text, setText] = useState('');
  const [matches, setMatches] = useState<Person[]>([]);
  const [active, setActive] = useState(-1);
  const [open, setOpen] = useState(false);
  const [status, setStatus] = useState('');
  const latest = useRef(0);

  useEffect(() => {
    const query = text.trim();
    if (query.length < MIN_QUERY) {
      setMatches([]);
      setStatus(query ? `Type at least ${MIN_QUERY} characters.` : '');
      return;
    }
    const call = ++latest.current;
    const timer = setTimeout(() => {
      setStatus('Searching…');
      ok(api.GET('/api/v1/users', { params: { query: { query, limit: 10 } } }))
        .then((page) => {
          if (call !== latest.current) return;
          const found = page.items.filter((u) => !exclude.includes(u.id));
          setMatches(found);
          setActive(found.length ? 0 : -1);
          setOpen(true);
          setStatus(
            found.length ? `${found.length} ${found.length === 1 ? 'match' : 'matches'}.` : 'Nobody matches.',
          );
        })
        .catch((err: unknown) => {
          if (call !== latest.current) return;
          setMatches([]);
          setStatus(err instanceof ApiError ? err.message : 'The search failed.');
        });
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
    // `exclude` changes identity on every render of the parent; the text decides when to search.
  }, [text]);

  function pick(p: Person) {
    dir.remember(p);
    onPick(p);
    setText('');
    setMatches([]);
    setOpen(false);
    setStatus(`${p.name} chosen.`);
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'ArrowDown' && matches.length) {
      e.preventDefault();
      setOpen(true);
      setActive((a) => (a + 1) % matches.length);
    } else if (e.key === 'ArrowUp' && matches.length) {
      e.preventDefault();
      setActive((a) => (a <= 0 ? matches.length - 1 : a - 1));
    } else if (e.key === 'Enter' && open && matches[active]) {
      e.preventDefault();
      pick(matches[active]);
    } else if (e.key === 'Escape') {
      setOpen(false);
    }
  }

  const expanded = open && matches.length > 0;
  return (
    <div className="person-search">
      <input
        id={id}
        type="search"
        role="combobox"
        aria-label={givenId ? undefined : label}
        aria-expanded={expanded}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={expanded && active >= 0 ? `${listId}-${active}` : undefined}
        aria-describedby={[describedBy, `${id}-status`].filter(Boolean).join(' ')}
        aria-invalid={invalid || undefined}
        autoComplete="off"
        placeholder="Name or e-mail"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
        onFocus={() => setOpen(true)}
      />
      <ul
        id={listId}
        role="listbox"
        aria-label={`Matches for ${label}`}
        hidden={!expanded}
        className="person-matches"
      >
        {matches.map((m, i) => (
          <li
            key={m.id}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            className={i === active ? 'active' : undefined}
            onMouseDown={(e) => {
              e.preventDefault();
              pick(m);
            }}
          >
            <span className="person-name">{m.name}</span> <span className="muted small">{m.email}</span>
          </li>
        ))}
      </ul>
      <p id={`${id}-status`} className="visually-hidden" role="status">
        {status}
      </p>
    </div>
  );
}
