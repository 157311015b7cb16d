// A list's search box with what it found, announced politely as it changes.

interface Props {
  /** What the box searches, for screen readers: "Search people". */
  label: string;
  placeholder: string;
  value: string;
  onChange: (text: string) => void;
  /** "Searching…", "12 found"; nothing for lists that filter in place. */
  status?: string;
}

export function SearchBar({ label, placeholder, value, onChange, status }: Props) {
  return (
    <div className="toolbar">
      <label className="search">
        <span className="visually-hidden">{label}</span>
        <input
          type="search"
          placeholder={placeholder}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      </label>
      {status !== undefined && (
        <span className="muted small" role="status" aria-live="polite">
          {status}
        </span>
      )}
    </div>
  );
}

/** What a search found so far, for SearchBar. */
export const foundStatus = (list: { loading: boolean; data?: { items: unknown[] } | undefined }) =>
  list.loading ? 'Searching…' : list.data ? `${list.data.items.length} found` : '';
