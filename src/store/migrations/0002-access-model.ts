import { sql, type Kysely } from 'kysely';

// Groups, resources, owners, the grant ledger and asset edges (nesting). Rows are never destructively
// edited: grants and edges record when, by whom and why they ended; groups and resources are soft-deleted.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('groups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('owner_group_id', 'text', (c) => c.references('groups.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('deleted_at', 'timestamptz')
    .execute();
  await sql`create unique index groups_name_live_idx on groups (lower(name)) where deleted_at is null`.execute(
    db,
  );

  await db.schema
    .createTable('resources')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('access_levels', sql`text[]`, (c) => c.notNull())
    .addColumn('owner_group_id', 'text', (c) => c.references('groups.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('deleted_at', 'timestamptz')
    .execute();
  await sql`create unique index resources_name_live_idx on resources (lower(name)) where deleted_at is null`.execute(
    db,
  );

  await db.schema
    .createTable('item_owners')
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addPrimaryKeyConstraint('item_owners_pk', ['item_id', 'user_id'])
    .execute();
  await db.schema.createIndex('item_owners_user_idx').on('item_owners').column('user_id').execute();

  await db.schema
    .createTable('grants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('group_id', 'text', (c) => c.references('groups.id'))
    .addColumn('resource_id', 'text', (c) => c.references('resources.id'))
    .addColumn('access_level', 'text')
    .addColumn('source', 'text', (c) =>
      c.notNull().check(sql`source in ('direct', 'request', 'break_glass', 'on_call')`),
    )
    .addColumn('reason', 'text')
    .addColumn('request_id', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('starts_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz')
    .addColumn('ended_at', 'timestamptz')
    .addColumn('ended_by', 'text')
    .addColumn('end_reason', 'text')
    .addCheckConstraint(
      'grants_one_target',
      sql`(group_id is not null) <> (resource_id is not null and access_level is not null)`,
    )
    .execute();
  await db.schema.createIndex('grants_user_idx').on('grants').columns(['user_id', 'id']).execute();
  await db.schema.createIndex('grants_group_idx').on('grants').columns(['group_id', 'id']).execute();
  await db.schema.createIndex('grants_resource_idx').on('grants').columns(['resource_id', 'id']).execute();
  // The live ledger: what start-up loads into the access index and what the expiry job scans.
  await sql`create index grants_live_idx on grants (expires_at) where ended_at is null`.execute(db);

  await db.schema
    .createTable('assets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id'))
    .addColumn('asset_group_id', 'text', (c) => c.references('groups.id'))
    .addColumn('asset_resource_id', 'text', (c) => c.references('resources.id'))
    .addColumn('access_level', 'text')
    .addColumn('expires_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('removed_at', 'timestamptz')
    .addColumn('removed_by', 'text')
    .addCheckConstraint(
      'assets_one_target',
      sql`(asset_group_id is not null) <> (asset_resource_id is not null and access_level is not null)`,
    )
    .execute();
  await db.schema.createIndex('assets_group_idx').on('assets').columns(['group_id']).execute();
  await sql`create index assets_live_idx on assets (group_id) where removed_at is null`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['assets', 'grants', 'item_owners', 'resources', 'groups'])
    await db.schema.dropTable(t).execute();
}
