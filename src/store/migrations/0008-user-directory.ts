import { sql, type Kysely } from 'kysely';

// On-call shifts name people by e-mail, by name, or by the local part of an e-mail; matching looks users up by
// all three on every sync, so each lookup gets an index instead of a scan of every user.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index users_name_key_idx on users (lower(regexp_replace(trim(name), '\\s+', ' ', 'g')))`.execute(
    db,
  );
  await sql`create index users_email_local_idx on users (split_part(email_normalized, '@', 1))`.execute(db);
}
