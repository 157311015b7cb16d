import { api, ok } from '../api/client';
import { ErrorNote, Loading } from '../components/Notice';
import { PageHeader } from '../components/PageHeader';
import { TabNav } from '../components/TabNav';
import { useDirectory } from '../lib/directory';
import { Link } from '../lib/router';
import { useLoad } from '../lib/use-load';
import { AssetsTab } from './group/AssetsTab';
import { BreakGlassTab } from './group/BreakGlassTab';
import { EventsTab } from './group/EventsTab';
import { MembersTab } from './group/MembersTab';
import { OnCallTab } from './group/OnCallTab';
import { OwnersTab } from './group/OwnersTab';
import { RemoteLinkBar } from './group/RemoteLinkBar';
import { RequestConfigTab } from './group/RequestConfigTab';

// One group, one tab per concern, each tab its own URL. Each tab shows the controls the group's abilities (as
// the API sends them) allow; the API still has the last word (403s are shown). Under its title, its link to a
// connected system, if any.

const tabs = [
  { id: 'members', label: 'Members' },
  { id: 'assets', label: 'Assets' },
  { id: 'request-configurations', label: 'Request configurations' },
  { id: 'break-glass', label: 'Break-glass users' },
  { id: 'on-call', label: 'On-call schedules' },
  { id: 'owners', label: 'Owners' },
  { id: 'events', label: 'Audit events' },
];

export function GroupPage({ id, tab = 'members' }: { id: string; tab?: string }) {
  const dir = useDirectory();
  const group = useLoad(() => ok(api.GET('/api/v1/groups/{id}', { params: { path: { id } } })), [id]);
  const g = group.data;

  function body() {
    if (!g) return null;
    switch (tab) {
      case 'members':
        return <MembersTab group={g} />;
      case 'assets':
        return <AssetsTab group={g} />;
      case 'request-configurations':
        return <RequestConfigTab item={{ kind: 'group', id: g.id }} manage={g.abilities.configureRequests} />;
      case 'break-glass':
        return <BreakGlassTab group={g} />;
      case 'on-call':
        return <OnCallTab group={g} />;
      case 'owners':
        return <OwnersTab item={{ kind: 'group', ...g }} onSaved={group.reload} />;
      case 'events':
        return <EventsTab subjectId={g.id} />;
      default:
        return <p>There is no such tab.</p>;
    }
  }

  return (
    <>
      <p className="breadcrumb">
        <Link to="/inventory">Inventory</Link> / Groups
      </p>
      <ErrorNote error={group.error} />
      {group.loading && !g && <Loading />}
      {g && (
        <>
          <PageHeader title={g.name} intro={g.description || undefined} />
          <RemoteLinkBar
            item={{ kind: 'group', ...g }}
            onChanged={() => {
              group.reload();
              dir.reload();
            }}
          />
          <TabNav tabs={tabs} current={tab} base={`/inventory/groups/${g.id}`} label="Group sections" />
          <div className="tab-body">{body()}</div>
        </>
      )}
    </>
  );
}
