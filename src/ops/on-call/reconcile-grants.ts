import { planOnCallGrants, reconcileOnCallGrants } from '../../domain/on-call/on-call-grants.js';
import type { Shift } from '../../domain/on-call/shifts.js';
import type { NewEvent } from '../../store/events.js';
import { endGrantRow } from '../../store/grants.js';
import { liveOnCallGrants, type GroupScheduleLink } from '../../store/on-call-shifts.js';
import type { Tx } from '../shared/deps.js';
import { insertGrantWithEvent } from '../grants/index.js';

/** The end reason of an on-call grant whose shift the schedule no longer has. */
export const SHIFT_CHANGED = 'on_call_shift_changed';

/**
 * Brings a group's on-call grants from one schedule in line with the schedule's shifts, inside the caller's
 * transaction: grants for shifts that went away end now, new shifts get grants that start and end at their
 * boundaries. Says when grants must next be written further ahead.
 */
export async function reconcileLink(
  trx: Tx,
  link: GroupScheduleLink,
  shifts: Shift[],
  now: Date,
  /** The end of the span the shifts were fetched for: providers cut shifts there. */
  openEndAt: Date | null,
): Promise<{ events: NewEvent[]; refreshBy: Date | null }> {
  const plan = planOnCallGrants(shifts, link.graceMinutes, now);
  const live = await liveOnCallGrants(trx, link.groupId, link.scheduleId, now);
  const { end, create } = reconcileOnCallGrants(live, plan.desired, now, openEndAt);
  const events: NewEvent[] = [];
  for (const g of end) {
    await endGrantRow(trx, g.id, now, null, SHIFT_CHANGED);
    events.push({
      type: 'grant.revoked',
      actorId: null,
      subjects: [
        { type: 'grant', id: g.id },
        { type: 'user', id: g.userId },
        { type: 'group', id: link.groupId },
        { type: 'on_call_schedule', id: link.scheduleId },
      ],
      data: { source: 'on_call', reason: SHIFT_CHANGED, scheduleId: link.scheduleId },
    });
  }
  for (const d of create) {
    const { event } = await insertGrantWithEvent(
      trx,
      {
        userId: d.userId,
        target: { groupId: link.groupId },
        source: 'on_call',
        reason: null,
        createdBy: null,
        startsAt: d.startsAt,
        expiresAt: d.expiresAt,
        onCallScheduleId: link.scheduleId,
      },
      now,
    );
    events.push({
      ...event,
      subjects: [...event.subjects, { type: 'on_call_schedule', id: link.scheduleId }],
    });
  }
  return { events, refreshBy: plan.refreshBy };
}
