import { type Kysely } from 'kysely';

// The in-app inbox is computed from what waits for each person (reviews, decisions, access about to end); only
// how far each person has read it is stored, so the unread count is the same on every device.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('inbox_reads')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id'))
    .addColumn('seen_through', 'timestamptz', (c) => c.notNull())
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('inbox_reads').execute();
}
