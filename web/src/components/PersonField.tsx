import { useDirectory } from '../lib/directory';
import type { ControlProps } from './Field';
import { PersonSearch } from './PersonSearch';

// One person in a form: who is chosen, with a way to change it, or a search by name or e-mail to choose.

interface Props {
  /** The Field's control props: the id its label points at, and its hint and error. */
  control: ControlProps;
  label: string;
  value: string;
  onChange: (userId: string) => void;
  /** What clearing the choice is called: "Change", or "Anyone" in a filter. */
  clearLabel?: string;
}

export function PersonField({ control, label, value, onChange, clearLabel = 'Change' }: Props) {
  const dir = useDirectory();
  if (value)
    return (
      <div className="chosen">
        <output id={control.id}>{dir.userName(value)}</output>{' '}
        <button type="button" className="link-button" onClick={() => onChange('')}>
          {clearLabel}
        </button>
      </div>
    );
  return (
    <PersonSearch
      id={control.id}
      label={label}
      describedBy={control['aria-describedby']}
      invalid={control['aria-invalid']}
      onPick={(person) => onChange(person.id)}
    />
  );
}
