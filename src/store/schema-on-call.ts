import type { ColumnType, Selectable } from 'kysely';

// Table types of on-call schedules (migration 0007).

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface OnCallSchedulesTable {
  id: string;
  name: string;
  provider: string;
  config: Json<Record<string, unknown>>;
  /** The credential in clear as written before migration 0012; start-up moves it to `sealed_secret`. */
  secret: ColumnType<string | null, string | null | undefined, string | null>;
  /** The provider credential, sealed; null when the provider has none. */
  sealed_secret: ColumnType<string | null, string | null | undefined, string | null>;
  sync_status: string;
  sync_error: string | null;
  /** What the provider itself said about the last failure (migration 0009). */
  sync_error_detail: string | null;
  failures: ColumnType<number, number | undefined, number>;
  last_synced_at: Timestamp | null;
  last_attempt_at: Timestamp | null;
  next_sync_at: Timestamp;
  lease_until: Timestamp | null;
  window_start: Timestamp | null;
  window_end: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  deleted_at: Timestamp | null;
}

export interface OnCallShiftsTable {
  schedule_id: string;
  user_id: string;
  starts_at: Timestamp;
  ends_at: Timestamp;
}

export interface OnCallUnmatchedTable {
  schedule_id: string;
  position: number;
  label: string;
  emails: string[];
  names: string[];
  starts_at: Timestamp;
  ends_at: Timestamp;
}

export interface GroupOnCallSchedulesTable {
  group_id: string;
  schedule_id: string;
  grace_minutes: ColumnType<number, number | undefined, number>;
}

export interface OnCallTables {
  on_call_schedules: OnCallSchedulesTable;
  on_call_shifts: OnCallShiftsTable;
  on_call_unmatched: OnCallUnmatchedTable;
  group_on_call_schedules: GroupOnCallSchedulesTable;
}

export type OnCallScheduleRow = Selectable<OnCallSchedulesTable>;
