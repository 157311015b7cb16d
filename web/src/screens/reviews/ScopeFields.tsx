import { IdListPicker } from '../../components/IdListPicker';
import { useConnections } from '../../lib/connections';
import { useDirectory } from '../../lib/directory';

// What a campaign covers: every group and resource, or the ones chosen (and everything linked to chosen
// connected systems, for those who may see them).

export interface Scope {
  everything: boolean;
  groupIds: string[];
  resourceIds: string[];
  connectionIds: string[];
}

interface Props {
  scope: Scope;
  onChange: (scope: Scope) => void;
  error?: string | undefined;
}

const byName = (a: { label: string }, b: { label: string }) => a.label.localeCompare(b.label);

export function ScopeFields({ scope, onChange, error }: Props) {
  const dir = useDirectory();
  const connections = useConnections(!scope.everything);
  const set = (part: Partial<Scope>) => onChange({ ...scope, ...part });
  const groups = [...dir.groups.values()].map((g) => ({ id: g.id, label: g.name })).sort(byName);
  const resources = [...dir.resources.values()].map((r) => ({ id: r.id, label: r.name })).sort(byName);
  const connectionOptions = (connections.data ?? []).map((c) => ({ id: c.id, label: c.name })).sort(byName);
  const connectionName = (id: string) => connectionOptions.find((c) => c.id === id)?.label ?? id;
  return (
    <fieldset
      className={error ? 'choices field-invalid' : 'choices'}
      aria-describedby={error ? 'scope-error' : undefined}
    >
      <legend>What it covers</legend>
      <label className="choice">
        <input
          type="radio"
          name="scope"
          checked={scope.everything}
          onChange={() => set({ everything: true })}
        />
        <span>Every group and resource</span>
      </label>
      <label className="choice">
        <input
          type="radio"
          name="scope"
          checked={!scope.everything}
          onChange={() => set({ everything: false })}
        />
        <span>The groups, resources and connected systems chosen here</span>
      </label>
      {!scope.everything && (
        <>
          <IdListPicker
            label="Groups"
            value={scope.groupIds}
            onChange={(groupIds) => set({ groupIds })}
            options={groups}
            nameOf={dir.groupName}
          />
          <IdListPicker
            label="Resources"
            hint="Every access level of each."
            value={scope.resourceIds}
            onChange={(resourceIds) => set({ resourceIds })}
            options={resources}
            nameOf={dir.resourceName}
          />
          {dir.me.abilities.viewConnections && (
            <IdListPicker
              label="Connected systems"
              hint="Every group and resource linked to each."
              value={scope.connectionIds}
              onChange={(connectionIds) => set({ connectionIds })}
              options={connectionOptions}
              nameOf={connectionName}
            />
          )}
        </>
      )}
      {error && (
        <div id="scope-error" className="field-error">
          {error}
        </div>
      )}
    </fieldset>
  );
}
