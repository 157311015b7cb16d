import { sql, type Kysely } from 'kysely';

// The time engine's bookkeeping and notification delivery: channels (e-mail, Slack, webhooks), which channels
// a group's notices go to, the audit stream's cursor per channel, reminders already sent, and the outbox
// gaining channel-addressed rows and a `skipped` status for notices no channel can carry.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('notification_channels')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull().check(sql`type in ('email', 'slack', 'webhook')`))
    .addColumn('config', 'jsonb', (c) => c.notNull())
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    // null: every kind of notice; otherwise only these kinds.
    .addColumn('events', sql`text[]`)
    .addColumn('all_events', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('deleted_at', 'timestamptz')
    .execute();
  await sql`create unique index notification_channels_name_idx on notification_channels (lower(name)) where deleted_at is null`.execute(
    db,
  );

  await db.schema
    .createTable('group_notification_channels')
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id'))
    .addColumn('channel_id', 'text', (c) => c.notNull().references('notification_channels.id'))
    .addPrimaryKeyConstraint('group_notification_channels_pk', ['group_id', 'channel_id'])
    .execute();

  // The audit stream of a channel with all_events: the last seq delivered, and a lease so one process streams
  // a channel at a time without holding a transaction open over the network.
  await db.schema
    .createTable('event_stream_cursors')
    .addColumn('channel_id', 'text', (c) => c.primaryKey().references('notification_channels.id'))
    .addColumn('last_seq', 'bigint', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'timestamptz')
    .addColumn('last_error', 'text')
    .addColumn('last_delivered_at', 'timestamptz')
    .execute();

  // One row per reminder sent, inserted with its outbox row: the unique key makes each reminder happen once.
  await db.schema
    .createTable('grant_reminders')
    .addColumn('grant_id', 'text', (c) => c.notNull().references('grants.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('grant_reminders_pk', ['grant_id', 'kind'])
    .execute();

  // When the `grant.started` event of a grant with a future start was written.
  await db.schema.alterTable('grants').addColumn('start_recorded_at', 'timestamptz').execute();
  await sql`create index grants_expiry_due_idx on grants (expires_at) where ended_at is null and expires_at is not null`.execute(
    db,
  );
  await sql`create index grants_start_due_idx on grants (starts_at) where start_recorded_at is null and ended_at is null and starts_at > created_at`.execute(
    db,
  );

  await sql`alter table outbox alter column recipient_user_id drop not null`.execute(db);
  await db.schema
    .alterTable('outbox')
    .addColumn('channel_id', 'text', (c) => c.references('notification_channels.id'))
    .execute();
  await sql`alter table outbox add constraint outbox_one_target check ((recipient_user_id is null) <> (channel_id is null))`.execute(
    db,
  );
  await sql`alter table outbox drop constraint outbox_status_check`.execute(db);
  await sql`alter table outbox add constraint outbox_status_check check (status in ('pending', 'sent', 'failed', 'skipped'))`.execute(
    db,
  );
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from outbox where channel_id is not null`.execute(db);
  await sql`update outbox set status = 'failed' where status = 'skipped'`.execute(db);
  await sql`alter table outbox drop constraint outbox_status_check`.execute(db);
  await sql`alter table outbox add constraint outbox_status_check check (status in ('pending', 'sent', 'failed'))`.execute(
    db,
  );
  await sql`alter table outbox drop constraint outbox_one_target`.execute(db);
  await db.schema.alterTable('outbox').dropColumn('channel_id').execute();
  await sql`alter table outbox alter column recipient_user_id set not null`.execute(db);
  await sql`drop index grants_start_due_idx`.execute(db);
  await sql`drop index grants_expiry_due_idx`.execute(db);
  await db.schema.alterTable('grants').dropColumn('start_recorded_at').execute();
  for (const t of [
    'grant_reminders',
    'event_stream_cursors',
    'group_notification_channels',
    'notification_channels',
  ])
    await db.schema.dropTable(t).execute();
}
