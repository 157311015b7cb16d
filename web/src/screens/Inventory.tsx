import { useState } from 'react';
import { SearchBar } from '../components/SearchBar';
import { api, ok } from '../api/client';
import type { Group, Resource } from '../api/types';
import { Empty, ErrorNote, Loading } from '../components/Notice';
import { PageHeader } from '../components/PageHeader';
import { useDirectory } from '../lib/directory';
import { Link, navigate } from '../lib/router';
import { useDebounced, useLoad } from '../lib/use-load';
import { CreateItemDialog } from './CreateItemDialog';

// Groups and resources for the people who run them: those who may create items do it here; those who manage
// only some items find them marked.

function ItemTable({ kind, items }: { kind: 'group' | 'resource'; items: (Group | Resource)[] }) {
  const dir = useDirectory();
  if (items.length === 0) return <Empty>No {kind}s match.</Empty>;
  return (
    <table className="data cards">
      <thead>
        <tr>
          <th scope="col">Name</th>
          {kind === 'resource' && <th scope="col">Type and levels</th>}
          <th scope="col">Owners</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={item.id}>
            <th scope="row" data-label="Name">
              <Link to={`/inventory/${kind}s/${item.id}`}>{item.name}</Link>
              {item.abilities.update && !dir.me.abilities.manageAllItems && (
                <span className="badge badge-ok">you manage</span>
              )}
              {item.description && <div className="muted small">{item.description}</div>}
            </th>
            {'type' in item && (
              <td data-label="Type and levels">
                {item.type} · {item.accessLevels.join(', ')}
              </td>
            )}
            <td data-label="Owners">
              {[
                ...item.ownerUserIds.map(dir.userName),
                ...(item.ownerGroupId ? [`members of ${dir.groupName(item.ownerGroupId)}`] : []),
              ].join(', ') || <span className="muted">admins only</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Inventory() {
  const dir = useDirectory();
  const [text, setText] = useState('');
  const query = useDebounced(text.trim(), 250) || undefined;
  const [creating, setCreating] = useState<'group' | 'resource'>();
  const data = useLoad(async () => {
    const [groups, resources] = await Promise.all([
      ok(api.GET('/api/v1/groups', { params: { query: { query, limit: 500 } } })),
      ok(api.GET('/api/v1/resources', { params: { query: { query, limit: 500 } } })),
    ]);
    return { groups: groups.items, resources: resources.items };
  }, [query]);

  function created(kind: 'group' | 'resource', id?: string) {
    setCreating(undefined);
    if (!id) return;
    dir.reload();
    navigate(`/inventory/${kind}s/${id}`);
  }

  return (
    <>
      <PageHeader
        title="Inventory"
        intro="Groups and resources, their owners, members and settings."
        actions={
          dir.me.abilities.createItems && (
            <>
              <button type="button" className="button-primary" onClick={() => setCreating('group')}>
                New group
              </button>
              <button type="button" onClick={() => setCreating('resource')}>
                New resource
              </button>
            </>
          )
        }
      />
      <SearchBar
        label="Filter groups and resources"
        placeholder="Filter by name"
        value={text}
        onChange={setText}
      />
      <ErrorNote error={data.error} />
      {data.loading && !data.data && <Loading />}
      {data.data && (
        <>
          <section aria-labelledby="groups-heading">
            <h2 id="groups-heading">Groups</h2>
            <ItemTable kind="group" items={data.data.groups} />
          </section>
          <section aria-labelledby="resources-heading">
            <h2 id="resources-heading">Resources</h2>
            <ItemTable kind="resource" items={data.data.resources} />
          </section>
        </>
      )}
      {creating && <CreateItemDialog kind={creating} onClose={(id) => created(creating, id)} />}
    </>
  );
}
