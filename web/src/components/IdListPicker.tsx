import { useId, useState } from 'react';
import { PersonSearch } from './PersonSearch';

// Picks a list of users or groups. Chosen ones show as chips with a remove button; new ones come from a
// list when the API lets us read it whole, otherwise (people, for owners who are not admins) from a search by
// name or e-mail.

export interface Option {
  id: string;
  label: string;
}

interface Props {
  label: string;
  value: string[];
  onChange: (ids: string[]) => void;
  /** Every choice; null for people the caller cannot list, who are found by searching instead. */
  options: Option[] | null;
  nameOf: (id: string) => string;
  hint?: string;
  /** What the API found wrong with the list, shown under it. */
  error?: string | undefined;
}

export function IdListPicker({ label, value, onChange, options, nameOf, hint, error }: Props) {
  const id = useId();
  const errorId = `${id}-error`;
  const [pick, setPick] = useState('');
  const choices = options?.filter((o) => !value.includes(o.id)) ?? [];

  function add() {
    const v = pick.trim();
    if (v && !value.includes(v)) onChange([...value, v]);
    setPick('');
  }

  return (
    <fieldset
      className={error ? 'picker field-invalid' : 'picker'}
      aria-describedby={error ? errorId : undefined}
    >
      <legend>{label}</legend>
      {hint && <p className="hint">{hint}</p>}
      {value.length === 0 ? (
        <p className="muted small">None.</p>
      ) : (
        <ul className="chips">
          {value.map((v) => (
            <li key={v} className="chip">
              {nameOf(v)}
              <button
                type="button"
                className="chip-remove"
                aria-label={`Remove ${nameOf(v)}`}
                onClick={() => onChange(value.filter((x) => x !== v))}
              >
                <span aria-hidden="true">×</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {!options ? (
        <PersonSearch
          label={`Find someone to add to ${label}`}
          exclude={value}
          onPick={(p) => {
            if (!value.includes(p.id)) onChange([...value, p.id]);
          }}
        />
      ) : (
        <div className="inline-form">
          <label htmlFor={id} className="visually-hidden">
            {`Choose to add to ${label}`}
          </label>
          {options && (
            <select id={id} value={pick} onChange={(e) => setPick(e.target.value)}>
              <option value="">Choose…</option>
              {choices.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.label}
                </option>
              ))}
            </select>
          )}
          <button type="button" onClick={add} disabled={!pick.trim()}>
            Add
          </button>
        </div>
      )}
      {error && (
        <div id={errorId} className="field-error">
          {error}
        </div>
      )}
    </fieldset>
  );
}
