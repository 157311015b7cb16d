import { nextScheduleSyncAt, syncDueSchedules } from '../ops/on-call/sync-schedule.js';
import type { DueSource } from './due-sources.js';

// On-call schedules fall due for a fetch at their `next_sync_at`: the provider's interval, sooner when grants
// must be written further ahead, with backoff after failures. Fetching waits on the network, so this source
// runs on a time engine of its own and never holds up expiries.

const WAKING_EVENTS = new Set([
  'on_call.schedule_created',
  'on_call.schedule_updated',
  'group.on_call_schedules_set',
]);

export const onCallSyncSource: DueSource = {
  name: 'on-call-sync',
  nextDueAt: (deps) => nextScheduleSyncAt(deps),
  processDue: async (deps, _now, limit) => ({
    count: await syncDueSchedules(deps, Math.min(limit, 10)),
    items: [],
  }),
  wakesOn: (type) => WAKING_EVENTS.has(type),
};
