import type { ReviewerType } from '../../api/types';
import { IdListPicker } from '../../components/IdListPicker';
import { reviewerTypeLabel } from '../../lib/access-reviews';
import { useDirectory } from '../../lib/directory';

// Who reviews a campaign's rows: each item's owners, the admins, or named people; and who takes the rows
// nobody else may review (an item without owners, or a row whose only reviewer is its own person).

export interface Reviewers {
  type: ReviewerType;
  userIds: string[];
  fallbackUserIds: string[];
}

interface Props {
  reviewers: Reviewers;
  onChange: (reviewers: Reviewers) => void;
  errors: { type?: string | undefined; userIds?: string | undefined; fallbackUserIds?: string | undefined };
}

const TYPES: ReviewerType[] = ['owners', 'admins', 'users'];

export function ReviewerFields({ reviewers, onChange, errors }: Props) {
  const dir = useDirectory();
  const set = (part: Partial<Reviewers>) => onChange({ ...reviewers, ...part });
  const people = dir.me.abilities.listUsers
    ? [...dir.users.values()]
        .map((u) => ({ id: u.id, label: `${u.name} (${u.email})` }))
        .sort((a, b) => a.label.localeCompare(b.label))
    : null;
  return (
    <fieldset className="choices" aria-describedby={errors.type ? 'reviewer-type-error' : undefined}>
      <legend>Who reviews</legend>
      {TYPES.map((t) => (
        <label key={t} className="choice">
          <input
            type="radio"
            name="reviewer-type"
            checked={reviewers.type === t}
            onChange={() => set({ type: t })}
          />
          <span>{reviewerTypeLabel[t]}</span>
        </label>
      ))}
      {errors.type && (
        <div id="reviewer-type-error" className="field-error">
          {errors.type}
        </div>
      )}
      {reviewers.type === 'users' && (
        <IdListPicker
          label="Reviewers"
          hint="They review every row."
          value={reviewers.userIds}
          onChange={(userIds) => set({ userIds })}
          options={people}
          nameOf={dir.userName}
          error={errors.userIds}
        />
      )}
      <IdListPicker
        label="Fallback reviewers"
        hint="They review the rows nobody else may: an item without owners, or a person’s own access. The admins do when nobody is named."
        value={reviewers.fallbackUserIds}
        onChange={(fallbackUserIds) => set({ fallbackUserIds })}
        options={people}
        nameOf={dir.userName}
        error={errors.fallbackUserIds}
      />
    </fieldset>
  );
}
