import { sql, type Kysely } from 'kysely';

// Where users, groups and memberships come from: typed in locally, signed in through the identity provider
// (OIDC), or pushed by it over SCIM. A deprovisioned user stays for history but releases its e-mail and SCIM
// userName, so the provider may create a user with the same name again. SCIM tokens are API tokens of their
// own scope, accepted only under /scim/v2.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('source', 'text', (c) =>
      c
        .notNull()
        .defaultTo('local')
        .check(sql`source in ('local', 'oidc', 'scim')`),
    )
    .addColumn('external_id', 'text')
    .addColumn('deprovisioned_at', 'timestamptz')
    .addColumn('user_name', 'text')
    .addColumn('oidc_subject', 'text')
    // What the identity provider sent beyond Latch's own fields (name parts, the enterprise extension), kept
    // so that a read returns what was written.
    .addColumn('scim_attributes', 'jsonb')
    .execute();
  await sql`update users set user_name = email`.execute(db);
  await sql`alter table users alter column user_name set not null`.execute(db);
  await sql`alter table users drop constraint users_email_normalized_key`.execute(db);
  await sql`create unique index users_email_live_idx on users (email_normalized) where deprovisioned_at is null`.execute(
    db,
  );
  await sql`create unique index users_user_name_live_idx on users (lower(user_name)) where deprovisioned_at is null`.execute(
    db,
  );
  await sql`create unique index users_oidc_subject_idx on users (oidc_subject) where oidc_subject is not null`.execute(
    db,
  );
  await sql`create index users_external_id_idx on users (external_id) where external_id is not null`.execute(
    db,
  );

  await db.schema
    .alterTable('groups')
    .addColumn('source', 'text', (c) =>
      c
        .notNull()
        .defaultTo('local')
        .check(sql`source in ('local', 'scim')`),
    )
    .addColumn('external_id', 'text')
    .execute();
  await sql`create index groups_external_id_idx on groups (external_id) where external_id is not null`.execute(
    db,
  );

  await sql`alter table grants drop constraint grants_source_check`.execute(db);
  await sql`alter table grants add constraint grants_source_check
    check (source in ('direct', 'request', 'break_glass', 'on_call', 'idp'))`.execute(db);

  await db.schema
    .alterTable('api_tokens')
    .addColumn('scope', 'text', (c) =>
      c
        .notNull()
        .defaultTo('api')
        .check(sql`scope in ('api', 'scim')`),
    )
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('api_tokens').dropColumn('scope').execute();
  await sql`alter table grants drop constraint grants_source_check`.execute(db);
  await sql`alter table grants add constraint grants_source_check
    check (source in ('direct', 'request', 'break_glass', 'on_call'))`.execute(db);
  await db.schema.alterTable('groups').dropColumn('source').dropColumn('external_id').execute();
  await sql`drop index users_email_live_idx`.execute(db);
  await sql`alter table users add constraint users_email_normalized_key unique (email_normalized)`.execute(
    db,
  );
  await db.schema
    .alterTable('users')
    .dropColumn('source')
    .dropColumn('external_id')
    .dropColumn('deprovisioned_at')
    .dropColumn('user_name')
    .dropColumn('oidc_subject')
    .dropColumn('scim_attributes')
    .execute();
}
