import { sql, type Kysely } from 'kysely';

// Request configurations, access requests, their items and the reviewers of each item's stages. A request item
// keeps a snapshot of the stages it was matched to, so later configuration changes never move the goalposts.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  // One row per entry; the entry without a condition is the item's default, at most one per item.
  await db.schema
    .createTable('request_configurations')
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addColumn('condition_group_ids', sql`text[]`)
    .addColumn('requestable', 'boolean', (c) => c.notNull())
    .addColumn('auto_approve', 'boolean', (c) => c.notNull())
    .addColumn('max_duration_minutes', 'integer', (c) => c.check(sql`max_duration_minutes > 0`))
    .addColumn('recommended_duration_minutes', 'integer', (c) =>
      c.check(sql`recommended_duration_minutes > 0`),
    )
    .addColumn('require_reason', 'boolean', (c) => c.notNull())
    .addColumn('reviewer_stages', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addPrimaryKeyConstraint('request_configurations_pk', ['item_id', 'priority'])
    .execute();
  await sql`create unique index request_configurations_default_idx on request_configurations (item_id) where condition_group_ids is null`.execute(
    db,
  );

  await db.schema
    .createTable('requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('requester_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('target_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('reason', 'text')
    .addColumn('duration_minutes', 'integer', (c) => c.notNull().check(sql`duration_minutes > 0`))
    .addColumn('extension_of', 'text', (c) => c.references('grants.id'))
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .check(sql`status in ('pending', 'approved', 'denied', 'partially_approved', 'canceled', 'expired')`),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('decided_at', 'timestamptz')
    .addColumn('canceled_by', 'text')
    .execute();
  await db.schema
    .createIndex('requests_requester_idx')
    .on('requests')
    .columns(['requester_id', 'id'])
    .execute();
  await db.schema
    .createIndex('requests_target_idx')
    .on('requests')
    .columns(['target_user_id', 'id'])
    .execute();
  // What the lapsing job scans.
  await sql`create index requests_pending_idx on requests (expires_at) where status = 'pending'`.execute(db);

  await db.schema
    .createTable('request_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull().references('requests.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('group_id', 'text', (c) => c.references('groups.id'))
    .addColumn('resource_id', 'text', (c) => c.references('resources.id'))
    .addColumn('access_level', 'text')
    .addColumn('config_priority', 'integer', (c) => c.notNull())
    .addColumn('auto_approve', 'boolean', (c) => c.notNull())
    .addColumn('reviewer_stages', 'jsonb', (c) => c.notNull())
    .addColumn('stage_index', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('pending', 'approved', 'denied', 'canceled', 'expired')`),
    )
    .addColumn('grant_id', 'text', (c) => c.references('grants.id'))
    .addColumn('decided_at', 'timestamptz')
    .addColumn('decided_by', 'text')
    .addColumn('comment', 'text')
    .addCheckConstraint(
      'request_items_one_target',
      sql`(group_id is not null and resource_id is null and access_level is null) or (group_id is null and resource_id is not null and access_level is not null)`,
    )
    .addUniqueConstraint('request_items_position_uq', ['request_id', 'position'])
    .execute();
  await db.schema.createIndex('request_items_group_idx').on('request_items').column('group_id').execute();
  await db.schema
    .createIndex('request_items_resource_idx')
    .on('request_items')
    .column('resource_id')
    .execute();

  // Reviewers of each stage of an item, resolved when the stage starts; an approval fills in approved_at.
  await db.schema
    .createTable('request_reviewers')
    .addColumn('item_id', 'text', (c) => c.notNull().references('request_items.id'))
    .addColumn('request_id', 'text', (c) => c.notNull().references('requests.id'))
    .addColumn('stage_index', 'integer', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('approved_at', 'timestamptz')
    .addColumn('comment', 'text')
    .addPrimaryKeyConstraint('request_reviewers_pk', ['item_id', 'stage_index', 'user_id'])
    .execute();
  await db.schema
    .createIndex('request_reviewers_user_idx')
    .on('request_reviewers')
    .columns(['user_id', 'request_id'])
    .execute();
  await db.schema
    .createIndex('request_reviewers_request_idx')
    .on('request_reviewers')
    .column('request_id')
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['request_reviewers', 'request_items', 'requests', 'request_configurations'])
    await db.schema.dropTable(t).execute();
}
