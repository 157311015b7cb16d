import { sql, type Kysely } from 'kysely';

// The audit chain under a key held outside the database. The head row records the seal: from which seq events
// carry keyed MACs (earlier ones were hashed without a key), a MAC over that boundary, and a key check value
// that tells at start-up whether the configured key is the one the log was sealed with. All three stay empty
// until the first start with a key, which verifies the unkeyed part and seals it.
// Signed checkpoints of the head catch a truncated log; each audit stream also carries them to its SIEM.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('audit_head')
    .addColumn('keyed_from_seq', 'bigint')
    .addColumn('seal_mac', 'text')
    .addColumn('key_check', 'text')
    .execute();
  await db.schema
    .createTable('audit_checkpoints')
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('mac', 'text', (c) => c.notNull())
    .execute();
  // Streams that exist already send the checkpoints made from now on; new streams start where their events do.
  await db.schema
    .alterTable('event_stream_cursors')
    .addColumn('last_checkpoint_seq', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('event_stream_cursors').dropColumn('last_checkpoint_seq').execute();
  await db.schema.dropTable('audit_checkpoints').execute();
  await sql`alter table audit_head drop column keyed_from_seq, drop column seal_mac, drop column key_check`.execute(
    db,
  );
}
