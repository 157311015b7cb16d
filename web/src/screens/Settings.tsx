import { PageHeader } from '../components/PageHeader';
import { TabNav } from '../components/TabNav';
import { useDirectory } from '../lib/directory';
import { ChannelsSection } from './settings/ChannelsSection';
import { ConnectionsSection } from './settings/ConnectionsSection';
import { OnCallSection } from './settings/OnCallSection';
import { ScimSection } from './settings/ScimSection';
import { TokensSection } from './settings/TokensSection';

// Personal and shared settings: my API tokens, notification channels, on-call schedules, for admins the
// identity provider's provisioning connection, and for admins and auditors the connected systems (one of them
// at /settings/connections/:id).

const common = [
  { id: 'tokens', label: 'My tokens' },
  { id: 'notifications', label: 'Notification channels' },
  { id: 'on-call', label: 'On-call schedules' },
];

export function Settings({ section = 'tokens', id }: { section?: string; id?: string }) {
  const { me } = useDirectory();
  const tabs = [
    ...common,
    ...(me.abilities.manageScimTokens ? [{ id: 'identity-provider', label: 'Identity provider' }] : []),
    ...(me.abilities.viewConnections ? [{ id: 'connections', label: 'Connected systems' }] : []),
  ];
  // Only the connected systems have pages below them.
  const known = tabs.some((t) => t.id === section) && (id === undefined || section === 'connections');
  function body() {
    if (!known) return <p>There is no such section.</p>;
    if (section === 'tokens') return <TokensSection />;
    if (section === 'notifications') return <ChannelsSection />;
    if (section === 'on-call') return <OnCallSection />;
    if (section === 'identity-provider') return <ScimSection />;
    return <ConnectionsSection id={id} />;
  }
  return (
    <>
      <PageHeader title="Settings" />
      <TabNav tabs={tabs} current={section} base="/settings" label="Settings sections" />
      <div className="tab-body">{body()}</div>
    </>
  );
}
