import type { ColumnType, Selectable } from 'kysely';

// Table types of connected systems (migration 0018).

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;
type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;
type NullableTime = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface ConnectionsTable {
  id: string;
  name: string;
  kind: string;
  /** The shown settings; secrets are only in `sealed_secrets`. */
  config: Json<Record<string, unknown>>;
  /** The secret settings as JSON, sealed for this row. */
  sealed_secrets: string;
  mode: string;
  sync_minutes: number;
  account_rule: Json<{ type: string; template?: string }>;
  status: ColumnType<string, string | undefined, string>;
  last_sync_at: NullableTime;
  last_error: Nullable<string>;
  next_sync_at: Timestamp;
  sync_lease_owner: Nullable<string>;
  sync_lease_until: NullableTime;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ConnectionAccountsTable {
  connection_id: string;
  user_id: string;
  remote_account: string;
  updated_at: Timestamp;
}

export interface RemoteLinksTable {
  item_id: string;
  item_type: string;
  /** For a resource: the access level whose holders are the remote item's members. */
  access_level: Nullable<string>;
  connection_id: string;
  remote_id: string;
  remote_name: string;
  linked_at: Timestamp;
  /** When the item's wanted members were last written to provisioned_accounts. */
  planned_at: NullableTime;
  /** The audit event the last plan's membership was read as of: a plan from an index behind it is not written. */
  planned_seq: ColumnType<string, string | number | undefined, string | number>;
}

export interface ProvisionedAccountsTable {
  item_id: string;
  user_id: string;
  connection_id: string;
  remote_id: string;
  /** Whether the user should be a member in the target (false: to be removed, or removed). */
  wanted: boolean;
  /** The remote account the user maps to; null when there is none (status no_account). */
  account: Nullable<string>;
  /** The account Latch put in the target and has not yet taken out. */
  applied_account: Nullable<string>;
  status: string;
  detail: Nullable<string>;
  status_at: Timestamp;
  /** Raised on every change of what is wanted, so an apply that raced a change does not mark it done. */
  version: ColumnType<number, number | undefined, number>;
  attempts: ColumnType<number, number | undefined, number>;
  /** Set while there is something to do: the row is then an operation in the outbox. */
  next_attempt_at: NullableTime;
  lease_owner: Nullable<string>;
  lease_until: NullableTime;
}

export interface ProvisioningDriftTable {
  connection_id: string;
  remote_id: string;
  remote_account: string;
  user_id: Nullable<string>;
  detected_at: Timestamp;
}

export interface ConnectionTables {
  connections: ConnectionsTable;
  connection_accounts: ConnectionAccountsTable;
  remote_links: RemoteLinksTable;
  provisioned_accounts: ProvisionedAccountsTable;
  provisioning_drift: ProvisioningDriftTable;
}

export type ConnectionRow = Selectable<ConnectionsTable>;
export type RemoteLinkRow = Selectable<RemoteLinksTable>;
export type ProvisionedAccountRow = Selectable<ProvisionedAccountsTable>;
