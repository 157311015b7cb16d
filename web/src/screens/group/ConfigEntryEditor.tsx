import type { RequestConfiguration, ReviewerStage } from '../../api/types';
import { Field } from '../../components/Field';
import { IdListPicker } from '../../components/IdListPicker';
import { useDirectory } from '../../lib/directory';
import { formatMinutes } from '../../lib/time';

// One entry of a request configuration list: who it applies to, the terms, and the reviewer stages.

const DURATIONS = [15, 30, 60, 120, 240, 480, 720, 1440, 4320, 10080, 43200];

interface Props {
  index: number;
  entry: RequestConfiguration;
  onChange: (next: RequestConfiguration) => void;
  onRemove: () => void;
  onMove: (by: number) => void;
  first: boolean;
  last: boolean;
}

function DurationSelect({
  label,
  value,
  onChange,
  none,
}: {
  label: string;
  value: number | null;
  onChange: (v: number | null) => void;
  none: string;
}) {
  const options =
    value && !DURATIONS.includes(value) ? [...DURATIONS, value].sort((a, b) => a - b) : DURATIONS;
  return (
    <Field label={label}>
      {(p) => (
        <select
          {...p}
          value={value ?? ''}
          onChange={(e) => onChange(e.target.value ? Number(e.target.value) : null)}
        >
          <option value="">{none}</option>
          {options.map((m) => (
            <option key={m} value={m}>
              {formatMinutes(m)}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function ConfigEntryEditor({ index, entry, onChange, onRemove, onMove, first, last }: Props) {
  const dir = useDirectory();
  const set = (patch: Partial<RequestConfiguration>) => onChange({ ...entry, ...patch });
  const setStage = (i: number, stage: ReviewerStage) =>
    set({ reviewerStages: entry.reviewerStages.map((s, j) => (j === i ? stage : s)) });
  const groupOptions = [...dir.groups.values()].map((g) => ({ id: g.id, label: g.name }));
  const userOptions = dir.me.abilities.listUsers
    ? [...dir.users.values()].map((u) => ({ id: u.id, label: `${u.name} (${u.email})` }))
    : null;
  const n = index + 1;

  return (
    <li className="card">
      <div className="card-head">
        <h3>Configuration {n}</h3>
        <div className="row-actions">
          <button
            type="button"
            className="button-small"
            disabled={first}
            onClick={() => onMove(-1)}
            aria-label={`Move configuration ${n} up`}
          >
            <span aria-hidden="true">↑</span>
          </button>
          <button
            type="button"
            className="button-small"
            disabled={last}
            onClick={() => onMove(1)}
            aria-label={`Move configuration ${n} down`}
          >
            <span aria-hidden="true">↓</span>
          </button>
          <button type="button" className="button-small button-quiet" onClick={onRemove}>
            Remove configuration {n}
          </button>
        </div>
      </div>
      <Field label="Applies to">
        {(p) => (
          <select
            {...p}
            value={entry.condition ? 'groups' : 'default'}
            onChange={(e) => set({ condition: e.target.value === 'default' ? null : { groupIds: [] } })}
          >
            <option value="default">Everyone else (the default)</option>
            <option value="groups">Members of chosen groups</option>
          </select>
        )}
      </Field>
      {entry.condition && (
        <IdListPicker
          label="Groups"
          value={entry.condition.groupIds}
          onChange={(groupIds) => set({ condition: { groupIds } })}
          options={groupOptions}
          nameOf={dir.groupName}
        />
      )}
      <div className="checks">
        <label className="choice">
          <input
            type="checkbox"
            checked={entry.requestable}
            onChange={(e) => set({ requestable: e.target.checked })}
          />{' '}
          Can be requested
        </label>
        <label className="choice">
          <input
            type="checkbox"
            checked={entry.autoApprove}
            onChange={(e) => set({ autoApprove: e.target.checked })}
          />{' '}
          Approve automatically
        </label>
        <label className="choice">
          <input
            type="checkbox"
            checked={entry.requireReason}
            onChange={(e) => set({ requireReason: e.target.checked })}
          />{' '}
          Reason required
        </label>
      </div>
      <div className="form-row">
        <DurationSelect
          label="Longest"
          value={entry.maxDurationMinutes}
          none="No limit"
          onChange={(v) => set({ maxDurationMinutes: v })}
        />
        <DurationSelect
          label="Recommended"
          value={entry.recommendedDurationMinutes}
          none="None"
          onChange={(v) => set({ recommendedDurationMinutes: v })}
        />
      </div>
      {!entry.autoApprove && (
        <fieldset className="stages">
          <legend>Reviewer stages, in order</legend>
          {entry.reviewerStages.map((s, i) => (
            <div key={i} className="stage">
              <Field label={`Stage ${i + 1} needs`}>
                {(p) => (
                  <select
                    {...p}
                    value={s.operator}
                    onChange={(e) => setStage(i, { ...s, operator: e.target.value as 'any' | 'all' })}
                  >
                    <option value="any">any one reviewer</option>
                    <option value="all">every reviewer</option>
                  </select>
                )}
              </Field>
              <div className="checks">
                <label className="choice">
                  <input
                    type="checkbox"
                    checked={s.reviewers.owners}
                    onChange={(e) =>
                      setStage(i, { ...s, reviewers: { ...s.reviewers, owners: e.target.checked } })
                    }
                  />{' '}
                  Owners
                </label>
                <label className="choice">
                  <input
                    type="checkbox"
                    checked={s.reviewers.admins}
                    onChange={(e) =>
                      setStage(i, { ...s, reviewers: { ...s.reviewers, admins: e.target.checked } })
                    }
                  />{' '}
                  Admins
                </label>
              </div>
              <IdListPicker
                label={`Stage ${i + 1} people`}
                value={s.reviewers.userIds}
                options={userOptions}
                nameOf={dir.userName}
                onChange={(userIds) => setStage(i, { ...s, reviewers: { ...s.reviewers, userIds } })}
              />
              <IdListPicker
                label={`Stage ${i + 1} groups`}
                value={s.reviewers.groupIds}
                options={groupOptions}
                nameOf={dir.groupName}
                onChange={(groupIds) => setStage(i, { ...s, reviewers: { ...s.reviewers, groupIds } })}
              />
              <button
                type="button"
                className="button-small button-quiet"
                onClick={() => set({ reviewerStages: entry.reviewerStages.filter((_, j) => j !== i) })}
              >
                Remove stage {i + 1}
              </button>
            </div>
          ))}
          <button
            type="button"
            className="button-small"
            onClick={() =>
              set({
                reviewerStages: [
                  ...entry.reviewerStages,
                  { operator: 'any', reviewers: { owners: true, admins: false, userIds: [], groupIds: [] } },
                ],
              })
            }
          >
            Add a stage
          </button>
        </fieldset>
      )}
    </li>
  );
}
