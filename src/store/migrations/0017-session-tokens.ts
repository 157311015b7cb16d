import { sql, type Kysely } from 'kysely';

// Tokens of scope `session` back one browser session signed in through single sign-on: their secret is never
// kept or shown, they are not the user's API tokens (not listed with them), and signing out revokes them.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table api_tokens drop constraint api_tokens_scope_check`.execute(db);
  await sql`alter table api_tokens add constraint api_tokens_scope_check
    check (scope in ('api', 'scim', 'session'))`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table api_tokens drop constraint api_tokens_scope_check`.execute(db);
  await sql`alter table api_tokens add constraint api_tokens_scope_check check (scope in ('api', 'scim'))`.execute(
    db,
  );
}
