import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { OnCallTables } from './schema-on-call.js';
import type { ConnectionTables } from './schema-connections.js';
import type { AccessReviewTables } from './schema-access-reviews.js';

// Row types of every table, as Kysely sees them. Timestamps are timestamptz, read back as Date.

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;
/** A column with a default or null: optional on insert. */
type Defaulted<T> = ColumnType<T, T | undefined, T>;

export interface UsersTable {
  id: string;
  email: string;
  email_normalized: string;
  name: string;
  role: string;
  status: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** local | oidc | scim */
  source: Defaulted<string>;
  external_id: Defaulted<string | null>;
  deprovisioned_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** The SCIM userName (the e-mail unless the identity provider set another); unique among live users. */
  user_name: string;
  oidc_subject: Defaulted<string | null>;
  scim_attributes: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: Timestamp;
  expires_at: Timestamp | null;
  revoked_at: Timestamp | null;
  last_used_at: Timestamp | null;
  /** api | scim: SCIM tokens are accepted under /scim/v2 only. */
  scope: Defaulted<string>;
}

export interface SessionsTable {
  id: string;
  secret_hash: string;
  csrf_token: string;
  user_id: string;
  token_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  last_seen_at: Timestamp;
}

export interface EventsTable {
  seq: number;
  id: string;
  type: string;
  actor_id: string | null;
  subjects: Json<{ type: string; id: string }[]>;
  subject_ids: string[];
  data: Json<unknown>;
  created_at: Timestamp;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  id: Generated<number>;
  seq: number;
  hash: string;
  keyed_from_seq: ColumnType<number | null, number | null | undefined, number | null>;
  seal_mac: ColumnType<string | null, string | null | undefined, string | null>;
  key_check: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface AuditCheckpointsTable {
  seq: number;
  hash: string;
  created_at: Timestamp;
  mac: string;
}

export interface GroupsTable {
  id: string;
  name: string;
  description: string;
  owner_group_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  deleted_at: Timestamp | null;
  /** local | scim: a SCIM group's memberships are the identity provider's to change. */
  source: Defaulted<string>;
  external_id: Defaulted<string | null>;
}

export interface ResourcesTable {
  id: string;
  name: string;
  type: string;
  description: string;
  access_levels: string[];
  owner_group_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  deleted_at: Timestamp | null;
}

export interface ItemOwnersTable {
  item_id: string;
  user_id: string;
}

export interface GrantsTable {
  id: string;
  user_id: string;
  group_id: string | null;
  resource_id: string | null;
  access_level: string | null;
  source: string;
  reason: string | null;
  request_id: string | null;
  created_by: string | null;
  created_at: Timestamp;
  starts_at: Timestamp;
  expires_at: Timestamp | null;
  ended_at: Timestamp | null;
  ended_by: string | null;
  end_reason: string | null;
  start_recorded_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** On-call grants: the schedule whose shift the grant is. */
  on_call_schedule_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface AssetsTable {
  id: string;
  group_id: string;
  asset_group_id: string | null;
  asset_resource_id: string | null;
  access_level: string | null;
  expires_at: Timestamp | null;
  created_at: Timestamp;
  created_by: string | null;
  removed_at: Timestamp | null;
  removed_by: string | null;
}

export interface BreakGlassSettingsTable {
  group_id: string;
  duration_minutes: number;
  updated_at: Timestamp;
  updated_by: string | null;
}

export interface BreakGlassMembersTable {
  group_id: string;
  user_id: string | null;
  member_group_id: string | null;
}

export interface BreakGlassActivationsTable {
  id: string;
  group_id: string;
  user_id: string;
  reason: string;
  activated_at: Timestamp;
  expires_at: Timestamp;
  ended_at: Timestamp | null;
  ended_by: string | null;
  end_reason: string | null;
  grant_id: string;
  review_status: ColumnType<string, string | undefined, string>;
  reviewed_by: string | null;
  reviewed_at: Timestamp | null;
  review_comment: string | null;
}

export interface OutboxTable {
  id: string;
  kind: string;
  recipient_user_id: string | null;
  channel_id: string | null;
  payload: Json<Record<string, unknown>>;
  status: ColumnType<string, string | undefined, string>;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Timestamp;
  last_error: ColumnType<string | null, string | null | undefined, string | null>;
  sent_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: Timestamp;
}

export interface RequestConfigurationsTable {
  item_id: string;
  priority: number;
  condition_group_ids: string[] | null;
  requestable: boolean;
  auto_approve: boolean;
  max_duration_minutes: number | null;
  recommended_duration_minutes: number | null;
  require_reason: boolean;
  reviewer_stages: Json<unknown>;
  updated_at: Timestamp;
  updated_by: string | null;
}

export interface RequestsTable {
  id: string;
  requester_id: string;
  target_user_id: string;
  reason: string | null;
  duration_minutes: number;
  extension_of: string | null;
  status: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  decided_at: Timestamp | null;
  canceled_by: string | null;
}

export interface RequestItemsTable {
  id: string;
  request_id: string;
  position: number;
  group_id: string | null;
  resource_id: string | null;
  access_level: string | null;
  config_priority: number;
  auto_approve: boolean;
  reviewer_stages: Json<unknown>;
  stage_index: ColumnType<number, number | undefined, number>;
  status: string;
  grant_id: string | null;
  decided_at: Timestamp | null;
  decided_by: string | null;
  comment: string | null;
}

export interface RequestReviewersTable {
  item_id: string;
  request_id: string;
  stage_index: number;
  user_id: string;
  approved_at: Timestamp | null;
  comment: string | null;
}

export interface Database extends OnCallTables, ConnectionTables, AccessReviewTables {
  users: UsersTable;
  api_tokens: ApiTokensTable;
  sessions: SessionsTable;
  events: EventsTable;
  audit_head: AuditHeadTable;
  audit_checkpoints: AuditCheckpointsTable;
  groups: GroupsTable;
  resources: ResourcesTable;
  item_owners: ItemOwnersTable;
  grants: GrantsTable;
  assets: AssetsTable;
  break_glass_settings: BreakGlassSettingsTable;
  break_glass_members: BreakGlassMembersTable;
  break_glass_activations: BreakGlassActivationsTable;
  outbox: OutboxTable;
  request_configurations: RequestConfigurationsTable;
  requests: RequestsTable;
  request_items: RequestItemsTable;
  request_reviewers: RequestReviewersTable;
  notification_channels: NotificationChannelsTable;
  group_notification_channels: GroupNotificationChannelsTable;
  event_stream_cursors: EventStreamCursorsTable;
  grant_reminders: GrantRemindersTable;
  idempotency_keys: IdempotencyKeysTable;
  inbox_reads: InboxReadsTable;
}

export interface InboxReadsTable {
  user_id: string;
  seen_through: Timestamp;
}

export interface IdempotencyKeysTable {
  actor_id: string;
  key: string;
  fingerprint: string;
  /** The first attempt's result, sealed with the secret key (it may hold a minted token). */
  result_sealed: string | null;
  created_at: Timestamp;
}

export interface NotificationChannelsTable {
  id: string;
  name: string;
  type: string;
  /** The shown part of the configuration (secrets written before they were sealed too, until start-up). */
  config: Json<Record<string, unknown>>;
  /** The secret fields as JSON, sealed (migration 0012); null when the channel has none. */
  sealed_secrets: ColumnType<string | null, string | null | undefined, string | null>;
  enabled: ColumnType<boolean, boolean | undefined, boolean>;
  events: string[] | null;
  all_events: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
  deleted_at: Timestamp | null;
}

export interface GroupNotificationChannelsTable {
  group_id: string;
  channel_id: string;
}

export interface EventStreamCursorsTable {
  channel_id: string;
  last_seq: number;
  last_checkpoint_seq: ColumnType<number, number | undefined, number>;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Timestamp;
  lease_owner: string | null;
  lease_until: Timestamp | null;
  last_error: string | null;
  last_delivered_at: Timestamp | null;
}

export interface GrantRemindersTable {
  grant_id: string;
  kind: string;
  sent_at: Timestamp;
}

export type GroupRow = Selectable<GroupsTable>;
export type ResourceRow = Selectable<ResourcesTable>;
export type GrantRow = Selectable<GrantsTable>;
export type AssetRow = Selectable<AssetsTable>;

export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
export type TokenRow = Selectable<ApiTokensTable>;
export type SessionRow = Selectable<SessionsTable>;
export type EventRow = Selectable<EventsTable>;
export type ActivationRow = Selectable<BreakGlassActivationsTable>;
export type OutboxRow = Selectable<OutboxTable>;
export type ChannelRow = Selectable<NotificationChannelsTable>;
export type StreamCursorRow = Selectable<EventStreamCursorsTable>;
export type RequestConfigurationRow = Selectable<RequestConfigurationsTable>;
export type RequestRow = Selectable<RequestsTable>;
export type RequestItemRow = Selectable<RequestItemsTable>;
export type RequestReviewerRow = Selectable<RequestReviewersTable>;
