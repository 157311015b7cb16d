import { sql, type Kysely } from 'kysely';

// Break-glass settings, the activations ledger and the notification outbox. An activation is never edited
// destructively: ending and reviewing it fill in columns that were null.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('break_glass_settings')
    .addColumn('group_id', 'text', (c) => c.primaryKey().references('groups.id'))
    .addColumn('duration_minutes', 'integer', (c) =>
      c.notNull().check(sql`duration_minutes between 5 and 1440`),
    )
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();

  // Who may break the glass: named users, or every effective member of a named group.
  await db.schema
    .createTable('break_glass_members')
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id'))
    .addColumn('user_id', 'text', (c) => c.references('users.id'))
    .addColumn('member_group_id', 'text', (c) => c.references('groups.id'))
    .addCheckConstraint(
      'break_glass_members_one_kind',
      sql`(user_id is not null) <> (member_group_id is not null)`,
    )
    .execute();
  await sql`create unique index break_glass_members_user_idx on break_glass_members (group_id, user_id) where user_id is not null`.execute(
    db,
  );
  await sql`create unique index break_glass_members_group_idx on break_glass_members (group_id, member_group_id) where member_group_id is not null`.execute(
    db,
  );

  await db.schema
    .createTable('break_glass_activations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('activated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ended_at', 'timestamptz')
    .addColumn('ended_by', 'text')
    .addColumn('end_reason', 'text')
    .addColumn('grant_id', 'text', (c) => c.notNull().unique().references('grants.id'))
    .addColumn('review_status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('pending')
        .check(sql`review_status in ('pending', 'justified', 'unjustified')`),
    )
    .addColumn('reviewed_by', 'text')
    .addColumn('reviewed_at', 'timestamptz')
    .addColumn('review_comment', 'text')
    .execute();
  await db.schema
    .createIndex('break_glass_activations_group_idx')
    .on('break_glass_activations')
    .columns(['group_id', 'id'])
    .execute();
  await db.schema
    .createIndex('break_glass_activations_user_idx')
    .on('break_glass_activations')
    .columns(['user_id', 'id'])
    .execute();
  // What activating again must supersede, and what the review queue scans.
  await sql`create index break_glass_activations_open_idx on break_glass_activations (group_id, user_id) where ended_at is null`.execute(
    db,
  );
  await sql`create index break_glass_activations_pending_idx on break_glass_activations (activated_at) where review_status = 'pending'`.execute(
    db,
  );

  // Notifications to deliver, written in the transaction of the change they announce; delivery reads them later.
  await db.schema
    .createTable('outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('recipient_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('pending')
        .check(sql`status in ('pending', 'sent', 'failed')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('sent_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`create index outbox_due_idx on outbox (next_attempt_at) where status = 'pending'`.execute(db);
  await db.schema.createIndex('outbox_status_idx').on('outbox').columns(['status', 'id']).execute();
  await db.schema
    .createIndex('outbox_recipient_idx')
    .on('outbox')
    .columns(['recipient_user_id', 'id'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['outbox', 'break_glass_activations', 'break_glass_members', 'break_glass_settings'])
    await db.schema.dropTable(t).execute();
}
