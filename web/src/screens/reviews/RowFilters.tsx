import type { AccessReviewRow, ReviewDecision } from '../../api/types';
import { Field } from '../../components/Field';
import { decisionLabel, rowItemKey, rowItemName } from '../../lib/access-reviews';
import { useDirectory, type Directory } from '../../lib/directory';

// Narrowing a campaign's rows: by decision, by item, by part of the person's name or e-mail, and for those who
// read every row, by reviewer. The person filter narrows the rows listed as it is typed; the others are asked of
// the server (see ReviewRows).

export interface RowFilter {
  decision: '' | 'undecided' | ReviewDecision;
  item: string;
  person: string;
  reviewer: string;
}

export const NO_FILTER: RowFilter = { decision: '', item: '', person: '', reviewer: '' };

export function filterRows(rows: AccessReviewRow[], f: RowFilter, dir: Directory): AccessReviewRow[] {
  const text = f.person.trim().toLowerCase();
  return rows.filter((r) => {
    if (f.decision === 'undecided' ? r.decision !== null : f.decision && r.decision !== f.decision)
      return false;
    if (f.item && rowItemKey(r) !== f.item) return false;
    if (f.reviewer && !r.reviewerIds.includes(f.reviewer)) return false;
    if (!text) return true;
    const email = dir.users.get(r.userId)?.email ?? '';
    return `${dir.userName(r.userId)} ${email}`.toLowerCase().includes(text);
  });
}

/** The items of these rows, by name: [rowItemKey, name]. */
export const itemsOf = (rows: AccessReviewRow[], dir: Directory): [string, string][] =>
  [...new Map(rows.map((r) => [rowItemKey(r), rowItemName(r, dir)])).entries()].sort((a, b) =>
    a[1].localeCompare(b[1]),
  );

interface Props {
  label: string;
  /** The items to choose from: [rowItemKey, name]. */
  items: [string, string][];
  filter: RowFilter;
  onChange: (filter: RowFilter) => void;
  /** The campaign's reviewers, to filter by; none when the user reads only their own rows. */
  reviewerIds?: string[];
}

const DECISIONS: ReviewDecision[] = ['keep', 'revoke', 'shorten'];

export function RowFilters({ label, items, filter, onChange, reviewerIds }: Props) {
  const dir = useDirectory();
  const set = (key: keyof RowFilter) => (e: { target: { value: string } }) =>
    onChange({ ...filter, [key]: e.target.value });
  return (
    <form className="filters" role="search" aria-label={label} onSubmit={(e) => e.preventDefault()}>
      <Field label="Decision">
        {(p) => (
          <select {...p} value={filter.decision} onChange={set('decision')}>
            <option value="">Any</option>
            <option value="undecided">Not decided</option>
            {DECISIONS.map((d) => (
              <option key={d} value={d}>
                {decisionLabel[d]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Item">
        {(p) => (
          <select {...p} value={filter.item} onChange={set('item')}>
            <option value="">Any item</option>
            {items.map(([key, name]) => (
              <option key={key} value={key}>
                {name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Person">
        {(p) => (
          <input
            {...p}
            type="search"
            placeholder="Name or e-mail"
            value={filter.person}
            onChange={set('person')}
          />
        )}
      </Field>
      {reviewerIds && (
        <Field label="Reviewer">
          {(p) => (
            <select {...p} value={filter.reviewer} onChange={set('reviewer')}>
              <option value="">Anyone</option>
              {reviewerIds.map((id) => (
                <option key={id} value={id}>
                  {dir.userName(id)}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
    </form>
  );
}
