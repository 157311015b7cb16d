import type { EventType } from '../../../src/domain/event-types';
import type { AuditEvent } from '../api/types';
import type { Directory } from './directory';

// One sentence per audit event, with people and items by name: "Alice broke glass on prod-db-admins: “pager
// 4411”". The table has an entry for every event type the server writes (a type without one fails to compile);
// the event's JSON stays one click away.

interface Said {
  /** Who did it: a person's name, or Latch for what the server did by itself. */
  who: string;
  /** The user the event is about (the holder, the requester, the account). */
  user: string;
  /** The group or resource it is about, or "" when none. */
  item: string;
  /** Every group and resource named, in order: for a nesting edge, the parent group and then the asset. */
  groups: string[];
  data: Record<string, unknown>;
}

const quoted = (v: unknown) => (typeof v === 'string' && v ? `: “${v}”` : '');
const text = (v: unknown) => (typeof v === 'string' ? v : '');
const on = (s: Said) => (s.item ? ` on ${s.item}` : '');
const to = (s: Said) => (s.item ? ` to ${s.item}` : '');

const sentences: Record<EventType, (s: Said) => string> = {
  'access_review.closed': (s) =>
    `${s.who} closed the access review${quoted(s.data.name)}${s.data.reason === 'deadline' ? ' at its deadline' : ''}`,
  'access_review.created': (s) => `${s.who} started the access review${quoted(s.data.name)}`,
  'access_review.decided': (s) =>
    `${s.who} decided ${text(s.data.decision) || 'on'} ${Array.isArray(s.data.rowIds) ? s.data.rowIds.length : 'some'} row(s) of an access review${quoted(s.data.comment)}`,
  'access_review.delegated': (s) =>
    `${s.who} handed ${s.user}’s rows of the access review${quoted(s.data.name)} to another reviewer until ${text(s.data.until)}`,
  'access_review.delegation_ended': (s) =>
    `${s.who} gave ${s.user}’s rows of the access review${quoted(s.data.name)} back to them`,
  'asset.added': (s) =>
    `${s.who} nested ${s.groups[1] ?? s.item} under ${s.groups[0] ?? 'a group'}${s.data.accessLevel ? ` at ${text(s.data.accessLevel)}` : ''}`,
  'asset.removed': (s) => `${s.who} removed ${s.groups[1] ?? s.item} from ${s.groups[0] ?? 'a group'}`,
  'audit_log.sealed': () => 'Latch sealed the audit log under its key',
  'authorization.refused': (s) =>
    `${s.who} was refused ${text(s.data.operation) || 'an operation'}${on(s)}${quoted(s.data.reason)}`,
  'backup.created': (s) => `${s.who} took a backup`,
  'break_glass.activated': (s) => `${s.who} broke glass${on(s)}${quoted(s.data.reason)}`,
  'break_glass.configured': (s) => `${s.who} changed who may break glass${on(s)}`,
  'break_glass.denied': (s) => `${s.who} tried to break glass${on(s)} but is not a break-glass user`,
  'break_glass.ended': (s) =>
    `${s.user}’s break-glass access${on(s)} ended${s.data.endReason ? ` (${text(s.data.endReason)})` : ''}`,
  'break_glass.reviewed': (s) =>
    `${s.who} reviewed ${s.user}’s break glass${on(s)} as ${text(s.data.outcome)}${quoted(s.data.comment)}`,
  'connection.account_set': (s) =>
    `${s.who} set ${s.user}’s account${quoted(s.data.remoteAccount)} in${quoted(s.data.connectionName)}`,
  'connection.created': (s) => `${s.who} connected a system${quoted(s.data.name)}`,
  'connection.deleted': (s) => `${s.who} removed a connected system${quoted(s.data.name)}`,
  'connection.sync_requested': (s) => `${s.who} asked for a sync of a connected system${quoted(s.data.name)}`,
  'connection.synced': (s) => `Latch synced a connected system${quoted(s.data.name)}`,
  'connection.tested': (s) => `${s.who} tested a connected system${quoted(s.data.name)}`,
  'connection.updated': (s) => `${s.who} changed a connected system${quoted(s.data.name)}`,
  'drift.detected': (s) =>
    `Latch found ${text(s.data.remoteAccount) || 'an account'} in ${text(s.data.remoteName) || 'a remote item'} without access in Latch`,
  'drift.reverted': (s) =>
    `Latch removed ${text(s.data.remoteAccount) || 'an account'} from ${text(s.data.remoteName) || 'a remote item'}: it had no access in Latch`,
  'grant.created': (s) => {
    if (s.data.source === 'break_glass')
      return `${s.user} got break-glass access${to(s)}${quoted(s.data.reason)}`;
    if (s.data.source === 'on_call') return `${s.user} got access${to(s)} for an on-call shift`;
    if (s.data.source === 'request') return `${s.user} got access${to(s)} through an approved request`;
    return `${s.who} gave ${s.user} access${to(s)}${quoted(s.data.reason)}`;
  },
  'grant.expired': (s) => `${s.user}’s access${to(s)} expired`,
  'grant.revoked': (s) => `${s.who} ended ${s.user}’s access${to(s)}${quoted(s.data.reason)}`,
  'grant.shortened': (s) =>
    `${s.who} shortened ${s.user}’s access${to(s)} until ${text(s.data.expiresAt)} (access review)`,
  'grant.started': (s) => `${s.user}’s access${to(s)} started`,
  'group.created': (s) => `${s.who} created the group ${s.item}`,
  'group.deleted': (s) => `${s.who} deleted the group ${s.item}`,
  'group.members_synced': (s) => {
    const count = (v: unknown) => (Array.isArray(v) ? v.length : 0);
    const added = count(s.data.added);
    const removed = count(s.data.removed);
    const parts = [
      ...(added ? [`added ${added} ${added === 1 ? 'member' : 'members'}`] : []),
      ...(removed ? [`removed ${removed} ${removed === 1 ? 'member' : 'members'}`] : []),
    ];
    return `${s.who} ${parts.join(' and ') || 'changed no member'} of ${s.item}`;
  },
  'group.notification_channels_set': (s) => `${s.who} chose the notification channels of ${s.item}`,
  'group.on_call_schedules_set': (s) => `${s.who} chose the on-call schedules of ${s.item}`,
  'group.updated': (s) => `${s.who} changed the group ${s.item}`,
  'notification_channel.created': (s) => `${s.who} added a notification channel${quoted(s.data.name)}`,
  'notification_channel.deleted': (s) => `${s.who} deleted a notification channel${quoted(s.data.name)}`,
  'notification_channel.tested': (s) => `${s.who} sent a test notice${quoted(s.data.name)}`,
  'notification_channel.updated': (s) => `${s.who} changed a notification channel${quoted(s.data.name)}`,
  'on_call.live_fetch_requested': (s) => `${s.who} asked an on-call provider who is on call`,
  'on_call.schedule_created': (s) => `${s.who} added an on-call schedule${quoted(s.data.name)}`,
  'on_call.schedule_deleted': (s) => `${s.who} deleted an on-call schedule${quoted(s.data.name)}`,
  'on_call.schedule_updated': (s) => `${s.who} changed an on-call schedule${quoted(s.data.name)}`,
  'on_call.shifts_changed': () => 'Latch recorded new on-call shifts',
  'on_call.sync_failed': () => 'Latch could not sync an on-call schedule',
  'on_call.sync_recovered': () => 'An on-call schedule syncs again',
  'on_call.synced': (s) => `${s.who} synced an on-call schedule`,
  'request.approved': (s) =>
    s.data.automatic === true
      ? `${s.user}’s request${to(s)} was approved automatically, by its configuration`
      : `${s.who} approved ${s.user}’s request${to(s)}${quoted(s.data.comment)}`,
  'request.canceled': (s) => `${s.who} withdrew the request${to(s)}`,
  'request.created': (s) =>
    s.who === s.user
      ? `${s.who} asked for access${to(s)}${quoted(s.data.reason)}`
      : `${s.who} asked for access${to(s)} for ${s.user}${quoted(s.data.reason)}`,
  'request.denied': (s) => `${s.who} denied ${s.user}’s request${to(s)}${quoted(s.data.comment)}`,
  'request.expired': (s) => `${s.user}’s request${to(s)} lapsed without a decision`,
  'request.stage_approved': (s) => `${s.who} approved a stage of ${s.user}’s request${to(s)}`,
  'request_configuration.updated': (s) => `${s.who} changed how ${s.item || 'an item'} is requested`,
  'resource.created': (s) => `${s.who} created the resource ${s.item}`,
  'resource.deleted': (s) => `${s.who} deleted the resource ${s.item}`,
  'resource.updated': (s) => `${s.who} changed the resource ${s.item}`,
  'retention.pruned': () => 'Latch pruned delivered notices and ended sessions',
  'provisioning.failed': (s) =>
    `Latch could not change ${s.user}’s membership${on(s)} in its connected system`,
  'provisioning.granted': (s) => `Latch added ${s.user}${to(s)} in its connected system`,
  'provisioning.revoked': (s) => `Latch removed ${s.user}${on(s)} from its connected system`,
  'secrets.rotated': (s) => `${s.who} re-sealed the stored secrets under a new key`,
  'secrets.sealed': () => 'Latch sealed secrets that were stored in clear',
  'session.ended': (s) => `${s.user} signed out`,
  'session.refused': (s) =>
    `A${s.data.method === 'oidc' ? ' single sign-on' : ' sign-in'}${s.user ? ` as ${s.user}` : ''} was refused${quoted(s.data.reason)}`,
  'session.started': (s) => `${s.user} signed in${s.data.method === 'oidc' ? ' through single sign-on' : ''}`,
  'token.created': (s) =>
    s.data.scope === 'scim'
      ? `${s.who} created the SCIM token${quoted(s.data.name)} for the identity provider`
      : `${s.who} created a token${quoted(s.data.name)} for ${s.user}`,
  'token.revoked': (s) =>
    s.data.scope === 'scim'
      ? `${s.who} revoked the identity provider’s SCIM token${quoted(s.data.name)}`
      : `${s.who} revoked a token${quoted(s.data.name)} of ${s.user}`,
  'user.created': (s) => `${s.who} added ${s.user}`,
  'user.deprovisioned': (s) => `${s.who} deprovisioned ${s.user}: suspended for good, every access ended`,
  'user.suspended': (s) => `${s.who} suspended ${s.user}`,
  'user.updated': (s) => `${s.who} changed ${s.user}’s account`,
};

/** Who did it: a person, the identity provider (whose SCIM token acts for it), or Latch itself. */
export function actorName(actorId: string | null | undefined, dir: Pick<Directory, 'userName'>): string {
  if (actorId?.startsWith('tok_')) return 'The identity provider';
  return actorId ? dir.userName(actorId) : 'Latch';
}

export function describeEvent(e: AuditEvent, dir: Directory): string {
  const groups = e.subjects.filter((s) => s.type === 'group').map((s) => dir.groupName(s.id));
  const resource = e.subjects.find((s) => s.type === 'resource');
  const user = e.subjects.find((s) => s.type === 'user');
  const said: Said = {
    who: actorName(e.actorId, dir),
    user: user ? dir.userName(user.id) : 'someone',
    item: resource ? dir.resourceName(resource.id) : (groups[0] ?? ''),
    groups: resource ? [...groups, dir.resourceName(resource.id)] : groups,
    data: e.data && typeof e.data === 'object' ? (e.data as Record<string, unknown>) : {},
  };
  const say = (sentences as Record<string, ((s: Said) => string) | undefined>)[e.type];
  return say ? say(said) : `${said.who}: ${e.type.replace(/[._]/g, ' ')}`;
}

export const EVENT_TYPE_NAMES = Object.keys(sentences) as EventType[];
