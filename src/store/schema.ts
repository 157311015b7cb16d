import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

// Row types of every table, as Kysely sees them. Timestamps are timestamptz, read back as Date.

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface UsersTable {
  id: string;
  email: string;
  email_normalized: string;
  name: string;
  role: string;
  status: string;
  created_at: Timestamp;
  updated_at: Timestamp;
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
}

export interface Database {
  users: UsersTable;
  api_tokens: ApiTokensTable;
  events: EventsTable;
  audit_head: AuditHeadTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
export type TokenRow = Selectable<ApiTokensTable>;
export type EventRow = Selectable<EventsTable>;
