import { PageHeader } from '../components/PageHeader';
import { TabNav } from '../components/TabNav';
import { useDirectory } from '../lib/directory';
import { ChannelsSection } from './settings/ChannelsSection';
import { OnCallSection } from './settings/OnCallSection';
import { ScimSection } from './settings/ScimSection';
import { TokensSection } from './settings/TokensSection';

// Personal and shared settings: my API tokens, notification channels, on-call schedules, and for admins the
// identity provider's provisioning connection.

const common = [
  { id: 'tokens', label: 'My tokens' },
  { id: 'notifications', label: 'Notification channels' },
  { id: 'on-call', label: 'On-call schedules' },
];

export function Settings({ section = 'tokens' }: { section?: string }) {
  const { me } = useDirectory();
  const tabs = me.abilities.manageScimTokens
    ? [...common, { id: 'identity-provider', label: 'Identity provider' }]
    : common;
  return (
    <>
      <PageHeader title="Settings" />
      <TabNav tabs={tabs} current={section} base="/settings" label="Settings sections" />
      <div className="tab-body">
        {section === 'tokens' && <TokensSection />}
        {section === 'notifications' && <ChannelsSection />}
        {section === 'on-call' && <OnCallSection />}
        {section === 'identity-provider' && me.abilities.manageScimTokens && <ScimSection />}
        {!tabs.some((t) => t.id === section) && <p>There is no such section.</p>}
      </div>
    </>
  );
}
