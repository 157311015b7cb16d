import { api, ok } from '../api/client';
import { ErrorNote, Loading } from '../components/Notice';
import { PageHeader } from '../components/PageHeader';
import { TabNav } from '../components/TabNav';
import { useDirectory } from '../lib/directory';
import { Link } from '../lib/router';
import { useLoad } from '../lib/use-load';
import { EventsTab } from './group/EventsTab';
import { OwnersTab } from './group/OwnersTab';
import { RemoteLinkBar } from './group/RemoteLinkBar';
import { RequestConfigTab } from './group/RequestConfigTab';
import { ResourceMembersTab } from './group/ResourceMembersTab';

// One resource: who has which access level, how it is requested, who owns it, what happened to it, and its link
// to a connected system, if any.

const tabs = [
  { id: 'members', label: 'Members' },
  { id: 'request-configurations', label: 'Request configurations' },
  { id: 'owners', label: 'Owners' },
  { id: 'events', label: 'Audit events' },
];

export function ResourcePage({ id, tab = 'members' }: { id: string; tab?: string }) {
  const dir = useDirectory();
  const resource = useLoad(() => ok(api.GET('/api/v1/resources/{id}', { params: { path: { id } } })), [id]);
  const r = resource.data;

  function body() {
    if (!r) return null;
    if (tab === 'members') return <ResourceMembersTab resource={r} />;
    if (tab === 'request-configurations')
      return (
        <RequestConfigTab item={{ kind: 'resource', id: r.id }} manage={r.abilities.configureRequests} />
      );
    if (tab === 'owners') return <OwnersTab item={{ kind: 'resource', ...r }} onSaved={resource.reload} />;
    if (tab === 'events') return <EventsTab subjectId={r.id} />;
    return <p>There is no such tab.</p>;
  }

  return (
    <>
      <p className="breadcrumb">
        <Link to="/inventory">Inventory</Link> / Resources
      </p>
      <ErrorNote error={resource.error} />
      {resource.loading && !r && <Loading />}
      {r && (
        <>
          <PageHeader
            title={r.name}
            intro={`${r.type} · access levels: ${r.accessLevels.join(', ')}${r.description ? ` · ${r.description}` : ''}`}
          />
          <RemoteLinkBar
            item={{ kind: 'resource', ...r }}
            onChanged={() => {
              resource.reload();
              dir.reload();
            }}
          />
          <TabNav tabs={tabs} current={tab} base={`/inventory/resources/${r.id}`} label="Resource sections" />
          <div className="tab-body">{body()}</div>
        </>
      )}
    </>
  );
}
