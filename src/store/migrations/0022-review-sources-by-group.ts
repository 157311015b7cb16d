import { sql, type Kysely } from 'kysely';

// A campaign's rows filtered by one person: the blocks that can hold them are those of the parents whose sources
// include a group the person has a grant on. Looking sources up by group spares reading every block's users.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index access_review_sources_from on access_review_sources (review_id, from_group_id)`.execute(
    db,
  );
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was then
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index access_review_sources_from`.execute(db);
}
