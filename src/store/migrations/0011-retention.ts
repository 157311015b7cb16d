import { sql, type Kysely } from 'kysely';

// Pruning finished notices (domain/retention.ts) looks for the oldest one that is no longer pending, at every
// safety scan of the time engine: an index on just those keeps that one step however long the outbox is.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index outbox_finished_idx on outbox (created_at) where status <> 'pending'`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index outbox_finished_idx`.execute(db);
}
