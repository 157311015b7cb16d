import { PageHeader } from '../components/PageHeader';
import { TabNav } from '../components/TabNav';
import { ChannelsSection } from './settings/ChannelsSection';
import { OnCallSection } from './settings/OnCallSection';
import { TokensSection } from './settings/TokensSection';

// Personal and shared settings: my API tokens, notification channels, on-call schedules.

const tabs = [
  { id: 'tokens', label: 'My tokens' },
  { id: 'notifications', label: 'Notification channels' },
  { id: 'on-call', label: 'On-call schedules' },
];

export function Settings({ section = 'tokens' }: { section?: string }) {
  return (
    <>
      <PageHeader title="Settings" />
      <TabNav tabs={tabs} current={section} base="/settings" label="Settings sections" />
      <div className="tab-body">
        {section === 'tokens' && <TokensSection />}
        {section === 'notifications' && <ChannelsSection />}
        {section === 'on-call' && <OnCallSection />}
        {!tabs.some((t) => t.id === section) && <p>There is no such section.</p>}
      </div>
    </>
  );
}
