import { sql, type Kysely } from 'kysely';

// Connected systems: connections to real targets (their secrets sealed), the links of Latch groups and resources
// to remote items, per-user account overrides, the provisioning state of every (item, user) — whose rows with a
// next attempt are the outbox of remote operations, claimed under a lease — and open drift.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table connections (
    id text primary key,
    name text not null,
    kind text not null check (kind in ('postgres', 'ldap', 'scim')),
    config jsonb not null,
    sealed_secrets text not null,
    mode text not null check (mode in ('report', 'enforce')),
    sync_minutes integer not null check (sync_minutes between 1 and 10080),
    account_rule jsonb not null,
    status text not null default 'pending' check (status in ('pending', 'ok', 'error')),
    last_sync_at timestamptz,
    last_error text,
    next_sync_at timestamptz not null,
    sync_lease_owner text,
    sync_lease_until timestamptz,
    created_at timestamptz not null,
    updated_at timestamptz not null
  )`.execute(db);
  await sql`create unique index connections_name_key on connections (lower(name))`.execute(db);

  await sql`create table connection_accounts (
    connection_id text not null references connections (id) on delete cascade,
    user_id text not null references users (id),
    remote_account text not null,
    updated_at timestamptz not null,
    primary key (connection_id, user_id)
  )`.execute(db);

  await sql`create table remote_links (
    item_id text primary key,
    item_type text not null check (item_type in ('group', 'resource')),
    access_level text,
    connection_id text not null references connections (id),
    remote_id text not null,
    remote_name text not null,
    linked_at timestamptz not null,
    planned_at timestamptz,
    planned_seq bigint not null default 0,
    unique (connection_id, remote_id)
  )`.execute(db);

  await sql`create table provisioned_accounts (
    item_id text not null,
    user_id text not null references users (id),
    connection_id text not null references connections (id) on delete cascade,
    remote_id text not null,
    wanted boolean not null,
    account text,
    applied_account text,
    status text not null check (status in ('pending', 'synced', 'failed', 'no_account')),
    detail text,
    status_at timestamptz not null,
    version integer not null default 1,
    attempts integer not null default 0,
    next_attempt_at timestamptz,
    lease_owner text,
    lease_until timestamptz,
    primary key (item_id, user_id)
  )`.execute(db);
  await sql`create index provisioned_accounts_due on provisioned_accounts (next_attempt_at)
    where next_attempt_at is not null`.execute(db);
  await sql`create index provisioned_accounts_connection on provisioned_accounts (connection_id, remote_id)`.execute(
    db,
  );

  await sql`create table provisioning_drift (
    connection_id text not null references connections (id) on delete cascade,
    remote_id text not null,
    remote_account text not null,
    user_id text references users (id),
    detected_at timestamptz not null,
    primary key (connection_id, remote_id, remote_account)
  )`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'provisioning_drift',
    'provisioned_accounts',
    'remote_links',
    'connection_accounts',
    'connections',
  ])
    await sql`drop table ${sql.table(table)}`.execute(db);
}
