import { useState, type FormEvent } from 'react';
import { api, ok } from '../../api/client';
import { ApiError } from '../../api/errors';
import type { RequestConfiguration } from '../../api/types';
import { ErrorNote } from '../../components/Notice';
import { ConfigEntryEditor } from './ConfigEntryEditor';
import type { ItemKey } from './RequestConfigTab';

// Editing the ordered list. Order is priority: saving numbers the entries 10, 20, 30 … in the order shown.

const blank = (condition: RequestConfiguration['condition']): RequestConfiguration => ({
  priority: 0,
  condition,
  requestable: true,
  autoApprove: false,
  maxDurationMinutes: 480,
  recommendedDurationMinutes: 60,
  requireReason: true,
  reviewerStages: [
    { operator: 'any', reviewers: { owners: true, admins: false, userIds: [], groupIds: [] } },
  ],
});

interface Props {
  item: ItemKey;
  initial: RequestConfiguration[];
  onDone: (saved?: RequestConfiguration[]) => void;
}

export function ConfigEditor({ item, initial, onDone }: Props) {
  const [entries, setEntries] = useState<RequestConfiguration[]>(initial.length ? initial : [blank(null)]);
  const [error, setError] = useState<unknown>();
  const [problems, setProblems] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  const update = (i: number, next: RequestConfiguration) =>
    setEntries(entries.map((e, j) => (j === i ? next : e)));
  const move = (i: number, by: number) => {
    const next = [...entries];
    const [e] = next.splice(i, 1);
    next.splice(i + by, 0, e!);
    setEntries(next);
  };

  async function save(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    const defaults = entries.filter((c) => c.condition === null).length;
    if (entries.length > 0 && defaults !== 1)
      return setProblems(['Exactly one entry must apply to everyone else (the default).']);
    setProblems([]);
    setBusy(true);
    try {
      const body = entries.map((c, i) => ({
        ...c,
        priority: (i + 1) * 10,
        reviewerStages: c.autoApprove ? [] : c.reviewerStages,
      }));
      const params = { params: { path: { id: item.id } }, body };
      const saved =
        item.kind === 'group'
          ? await ok(api.PUT('/api/v1/groups/{id}/request-configurations', params))
          : await ok(api.PUT('/api/v1/resources/{id}/request-configurations', params));
      onDone(saved);
    } catch (err) {
      if (err instanceof ApiError && err.problem.errors?.length)
        setProblems(err.problem.errors.map((p) => `Entry ${describe(p.field)}: ${p.message}`));
      else setError(err);
      setBusy(false);
    }
  }

  return (
    <form className="panel" onSubmit={save} noValidate>
      <ol className="card-list">
        {entries.map((c, i) => (
          <ConfigEntryEditor
            key={i}
            index={i}
            entry={c}
            onChange={(next) => update(i, next)}
            onRemove={() => setEntries(entries.filter((_, j) => j !== i))}
            onMove={(by) => move(i, by)}
            first={i === 0}
            last={i === entries.length - 1}
          />
        ))}
      </ol>
      <p>
        <button type="button" onClick={() => setEntries([...entries, blank({ groupIds: [] })])}>
          Add a configuration
        </button>
      </p>
      {problems.length > 0 && (
        <div className="notice notice-error" role="alert">
          <ul>
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      )}
      <ErrorNote error={error} />
      <div className="row-actions">
        <button type="submit" className="button-primary" disabled={busy}>
          Save configurations
        </button>
        <button type="button" onClick={() => onDone()}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** `body.1.maxDurationMinutes` → `2, maxDurationMinutes`. */
function describe(field: string): string {
  const [, index, ...rest] = field.replace(/^body\.?/, 'x.').split('.');
  const n = Number(index);
  return Number.isInteger(n) ? `${n + 1}${rest.length ? `, ${rest.join('.')}` : ''}` : field;
}
