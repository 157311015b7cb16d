import { sql, type Kysely } from 'kysely';

// Browser sessions: a cookie stands in for the API token it was started with. Only a hash of the cookie's
// secret is stored. The CSRF token is stored as is: it is useless without the cookie.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('token_id', 'text', (c) => c.notNull().references('api_tokens.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();
  await db.schema.createIndex('sessions_token_idx').on('sessions').column('token_id').execute();
  await db.schema.createIndex('sessions_expires_idx').on('sessions').column('expires_at').execute();

  // Suspending a user ends their sessions for good, whichever code path suspends them: re-activating the
  // user must not bring old cookies back. (Revoked and expired tokens never come back, so reads suffice.)
  await sql`
    create function latch_end_sessions_of_suspended_user() returns trigger language plpgsql as $$
    begin
      delete from sessions where user_id = new.id;
      return new;
    end $$`.execute(db);
  await sql`
    create trigger users_suspension_ends_sessions
    after update of status on users
    for each row when (new.status = 'suspended' and old.status <> 'suspended')
    execute function latch_end_sessions_of_suspended_user()`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger users_suspension_ends_sessions on users`.execute(db);
  await sql`drop function latch_end_sessions_of_suspended_user()`.execute(db);
  await db.schema.dropTable('sessions').execute();
}
