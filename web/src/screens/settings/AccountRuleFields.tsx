import { Field } from '../../components/Field';
import type { Values } from './connection-values';

// How a Latch user's account in the system is named. A person's own override (set through the API) wins.

interface Props {
  values: Values;
  set: (key: string, value: string) => void;
  errors: Record<string, string>;
}

const choices = [
  { type: 'email', label: 'Their e-mail address', example: 'ada@example.com' },
  { type: 'emailLocalPart', label: 'Their e-mail address before the @', example: 'ada' },
  { type: 'template', label: 'A template', example: 'such as {localPart}_admin' },
] as const;

export function AccountRuleFields({ values, set, errors }: Props) {
  const type = values['accountRule.type'];
  return (
    <fieldset className="choices">
      <legend>Each person’s account there is</legend>
      {choices.map((c) => (
        <label key={c.type} className="choice">
          <input
            type="radio"
            name="accountRule.type"
            value={c.type}
            checked={type === c.type}
            onChange={() => set('accountRule.type', c.type)}
          />
          {c.label} <span className="muted small">({c.example})</span>
        </label>
      ))}
      {errors['accountRule.type'] && <div className="field-error">{errors['accountRule.type']}</div>}
      {type === 'template' && (
        <Field
          label="Template"
          required
          error={errors['accountRule.template']}
          hint={
            <>
              Use <code>{'{email}'}</code>, <code>{'{localPart}'}</code> (before the @) and{' '}
              <code>{'{domain}'}</code> (after it).
            </>
          }
        >
          {(p) => (
            <input
              {...p}
              value={typeof values['accountRule.template'] === 'string' ? values['accountRule.template'] : ''}
              maxLength={200}
              placeholder="{localPart}_admin"
              spellCheck={false}
              onChange={(e) => set('accountRule.template', e.target.value)}
            />
          )}
        </Field>
      )}
    </fieldset>
  );
}
