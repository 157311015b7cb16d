import { useState } from 'react';
import { api, ok } from '../../api/client';
import type { Group, Resource } from '../../api/types';
import { Field } from '../../components/Field';
import { IdListPicker } from '../../components/IdListPicker';
import { ErrorNote, Success } from '../../components/Notice';
import { useDirectory } from '../../lib/directory';

// Owners manage an item: named people, plus every effective member of one owner group.

type Item = ({ kind: 'group' } & Group) | ({ kind: 'resource' } & Resource);

export function OwnersTab({ item, onSaved }: { item: Item; onSaved: () => void }) {
  const dir = useDirectory();
  const [editing, setEditing] = useState(false);
  const [userIds, setUserIds] = useState(item.ownerUserIds);
  const [groupId, setGroupId] = useState(item.ownerGroupId ?? '');
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);

  async function save() {
    setError(undefined);
    try {
      const body = { ownerUserIds: userIds, ownerGroupId: groupId || null };
      const path = { id: item.id };
      if (item.kind === 'group') await ok(api.PATCH('/api/v1/groups/{id}', { params: { path }, body }));
      else await ok(api.PATCH('/api/v1/resources/{id}', { params: { path }, body }));
      setEditing(false);
      setSaved(true);
      dir.reload();
      onSaved();
    } catch (err) {
      setError(err);
    }
  }

  const userOptions = dir.me.abilities.listUsers
    ? [...dir.users.values()].map((u) => ({ id: u.id, label: `${u.name} (${u.email})` }))
    : null;
  return (
    <section aria-labelledby="owners-heading">
      <div className="section-head">
        <h2 id="owners-heading">Owners</h2>
        {item.abilities.update && !editing && (
          <button type="button" onClick={() => setEditing(true)}>
            Edit owners
          </button>
        )}
      </div>
      {!editing ? (
        <dl className="facts">
          <dt>People</dt>
          <dd>
            {item.ownerUserIds.length ? (
              item.ownerUserIds.map(dir.userName).join(', ')
            ) : (
              <span className="muted">none</span>
            )}
          </dd>
          <dt>Owner group</dt>
          <dd>
            {item.ownerGroupId ? (
              `Members of ${dir.groupName(item.ownerGroupId)}`
            ) : (
              <span className="muted">none</span>
            )}
          </dd>
        </dl>
      ) : (
        <div className="panel">
          <IdListPicker
            label="Owner people"
            value={userIds}
            onChange={setUserIds}
            options={userOptions}
            nameOf={dir.userName}
          />
          <Field label="Owner group" hint="Every effective member of this group owns the item.">
            {(p) => (
              <select {...p} value={groupId} onChange={(e) => setGroupId(e.target.value)}>
                <option value="">None</option>
                {[...dir.groups.values()].map((g) => (
                  <option key={g.id} value={g.id}>
                    {g.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <div className="row-actions">
            <button type="button" className="button-primary" onClick={save}>
              Save owners
            </button>
            <button type="button" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      <ErrorNote error={error} />
      {saved && <Success>Owners saved.</Success>}
    </section>
  );
}
