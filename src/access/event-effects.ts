import type { ChainedEvent } from '../domain/audit-chain.js';
import { isEventType, type EventType } from '../domain/event-types.js';

// What each kind of event changes in the access index and the directory of known ids. Most events are applied
// by re-reading the rows their subjects name; a record of the time engine changes nothing the index holds,
// because the index evaluates every window at query time. Every event type has an entry: the compiler refuses a
// new type without one, and an event of a type this version does not know is read back in full.

/** Subjects whose rows the index or the directory of ids follows. */
export const FOLLOWED_SUBJECTS = ['grant', 'asset', 'user', 'group', 'resource'] as const;
export type FollowedSubject = (typeof FOLLOWED_SUBJECTS)[number];

export type Effect =
  /** Changes nothing the index or the directory holds. */
  | { kind: 'none' }
  /** A grant reached its own `expiresAt`: its effective end is unchanged, so it is only forgotten once past. */
  | { kind: 'grant_ended' }
  /** Re-read the rows of these subjects. */
  | { kind: 'reread'; subjects: readonly FollowedSubject[] };

const none: Effect = { kind: 'none' };
const reread = (...subjects: FollowedSubject[]): Effect => ({ kind: 'reread', subjects });

export const EVENT_EFFECTS: Record<EventType, Effect> = {
  // A campaign's own records; the access it ends or shortens arrives as grant.revoked, grant.shortened and
  // asset.removed events.
  'access_review.closed': none,
  'access_review.created': none,
  'access_review.decided': none,
  'access_review.delegated': none,
  'access_review.delegation_ended': none,
  'asset.added': reread('asset'),
  'asset.removed': reread('asset'),
  'audit_log.sealed': none,
  'authorization.refused': none,
  'backup.created': none,
  'break_glass.activated': reread('grant'),
  'break_glass.configured': none,
  'break_glass.denied': none,
  'break_glass.ended': reread('grant'),
  'break_glass.reviewed': none,
  // Connected systems: what Latch did in a target, or saw there; access in Latch is unchanged by them.
  'connection.account_set': none,
  'connection.created': none,
  'connection.deleted': none,
  'connection.sync_requested': none,
  'connection.synced': none,
  'connection.tested': none,
  'connection.updated': none,
  'drift.detected': none,
  'drift.reverted': none,
  'provisioning.failed': none,
  'provisioning.granted': none,
  'provisioning.revoked': none,
  'grant.created': reread('grant'),
  'grant.expired': { kind: 'grant_ended' },
  'grant.revoked': reread('grant'),
  // An earlier end set by an access review: the row's window changed.
  'grant.shortened': reread('grant'),
  // A recorded start: the window, start included, was already in the index.
  'grant.started': none,
  'group.created': reread('group'),
  // Deleting a group ends its grants and removes its edges: the event names them all.
  'group.deleted': reread('group', 'grant', 'asset'),
  // The identity provider's memberships: the event names every grant it started or ended.
  'group.members_synced': reread('grant'),
  'group.notification_channels_set': none,
  'group.on_call_schedules_set': none,
  // Ownership is read from the store when it is needed; the index holds no owner.
  'group.updated': none,
  'notification_channel.created': none,
  'notification_channel.deleted': none,
  'notification_channel.tested': none,
  'notification_channel.updated': none,
  'on_call.live_fetch_requested': none,
  'on_call.schedule_created': none,
  'on_call.schedule_deleted': none,
  'on_call.schedule_updated': none,
  // Shift changes reach the index as the grant.created and grant.revoked events they cause.
  'on_call.shifts_changed': none,
  'on_call.sync_failed': none,
  'on_call.sync_recovered': none,
  'on_call.synced': none,
  'request.approved': reread('grant'),
  'request.canceled': none,
  // Auto-approved items are granted at once; the event names their grants.
  'request.created': reread('grant'),
  'request.denied': none,
  'request.expired': none,
  'request.stage_approved': none,
  'request_configuration.updated': none,
  'resource.created': reread('resource'),
  'resource.deleted': reread('resource', 'grant', 'asset'),
  // Access levels may change (a level in use cannot be removed, but a new one becomes checkable).
  'resource.updated': reread('resource'),
  'retention.pruned': none,
  'secrets.rotated': none,
  'secrets.sealed': none,
  'session.ended': none,
  'session.refused': none,
  'session.started': none,
  'token.created': none,
  'token.revoked': none,
  'user.created': reread('user'),
  // Suspended for good, and every grant ended: the event names them.
  'user.deprovisioned': reread('user', 'grant'),
  'user.suspended': reread('user'),
  'user.updated': reread('user'),
};

/** The effect of an event as stored; an unknown type (from a newer version) is read back in full. */
export function effectOf(e: ChainedEvent): Effect {
  return isEventType(e.type) ? EVENT_EFFECTS[e.type] : reread(...FOLLOWED_SUBJECTS);
}

/** The grant a grant.expired event ended and the end it had; undefined when the event does not say. */
export function endedGrant(e: ChainedEvent): { grantId: string; endsAt: number } | undefined {
  const grantId = e.subjects.find((s) => s.type === 'grant')?.id;
  const expiresAt = (e.data as { expiresAt?: unknown } | null)?.expiresAt;
  const endsAt = typeof expiresAt === 'string' ? Date.parse(expiresAt) : NaN;
  return grantId === undefined || Number.isNaN(endsAt) ? undefined : { grantId, endsAt };
}
