import { sql, type Kysely } from 'kysely';

// On-call schedules: the schedule and its provider settings (secrets apart from the shown config), the shifts
// of its last good sync (so an unreachable provider never empties a group), shifts no user matched, which
// groups follow which schedules, and on-call grants remembering the schedule they came from.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('on_call_schedules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('provider', 'text', (c) =>
      c.notNull().check(sql`provider in ('builtin', 'ical', 'pagerduty', 'opsgenie')`),
    )
    .addColumn('config', 'jsonb', (c) => c.notNull())
    // The provider credential (API token or key, or a feed URL carrying one); never returned by the API.
    .addColumn('secret', 'text')
    .addColumn('sync_status', 'text', (c) =>
      c.notNull().check(sql`sync_status in ('pending', 'ok', 'error')`),
    )
    .addColumn('sync_error', 'text')
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_synced_at', 'timestamptz')
    .addColumn('last_attempt_at', 'timestamptz')
    .addColumn('next_sync_at', 'timestamptz', (c) => c.notNull())
    // One process fetches a schedule at a time, without holding a transaction open over the network.
    .addColumn('lease_until', 'timestamptz')
    // The span the stored shifts cover: answers outside it are fetched live.
    .addColumn('window_start', 'timestamptz')
    .addColumn('window_end', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('deleted_at', 'timestamptz')
    .execute();
  await sql`create unique index on_call_schedules_name_idx on on_call_schedules (lower(name)) where deleted_at is null`.execute(
    db,
  );
  await sql`create index on_call_schedules_due_idx on on_call_schedules (next_sync_at) where deleted_at is null`.execute(
    db,
  );

  await db.schema
    .createTable('on_call_shifts')
    .addColumn('schedule_id', 'text', (c) => c.notNull().references('on_call_schedules.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('starts_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ends_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('on_call_shifts_pk', ['schedule_id', 'user_id', 'starts_at'])
    .execute();

  await db.schema
    .createTable('on_call_unmatched')
    .addColumn('schedule_id', 'text', (c) => c.notNull().references('on_call_schedules.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('emails', sql`text[]`, (c) => c.notNull())
    .addColumn('names', sql`text[]`, (c) => c.notNull())
    .addColumn('starts_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ends_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('on_call_unmatched_pk', ['schedule_id', 'position'])
    .execute();

  await db.schema
    .createTable('group_on_call_schedules')
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id'))
    .addColumn('schedule_id', 'text', (c) => c.notNull().references('on_call_schedules.id'))
    // Minutes the outgoing person keeps access after a handoff.
    .addColumn('grace_minutes', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('group_on_call_schedules_pk', ['group_id', 'schedule_id'])
    .execute();
  await sql`create index group_on_call_schedules_schedule_idx on group_on_call_schedules (schedule_id)`.execute(
    db,
  );

  await db.schema
    .alterTable('grants')
    .addColumn('on_call_schedule_id', 'text', (c) => c.references('on_call_schedules.id'))
    .execute();
  await sql`create index grants_on_call_idx on grants (on_call_schedule_id, group_id) where on_call_schedule_id is not null and ended_at is null`.execute(
    db,
  );
}
