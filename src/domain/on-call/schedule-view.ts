import { can } from '../policy/policy.js';
import type { Actor } from '../users.js';
import type { Schedule } from './schedules.js';

// What of a schedule each reader sees. A provider's error body is remote text Latch does not control: it may
// name internal systems, accounts or whatever the remote end chose to echo. Members and owners are told what
// failed in Latch's words (`syncError`); admins, who configure the provider, and auditors, who read everything
// admins read and already see the same text in the audit log's `on_call.sync_failed` events, also get the
// provider's words (`syncErrorDetail`).

export type ScheduleView = Schedule | Omit<Schedule, 'syncErrorDetail'>;

export function scheduleSeenBy(actor: Actor, schedule: Schedule): ScheduleView {
  if (can(actor, 'schedule', 'readProviderErrors', {})) return schedule;
  const { syncErrorDetail: _providerWords, ...shown } = schedule;
  return shown;
}
