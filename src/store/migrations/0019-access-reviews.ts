import { sql, type Kysely } from 'kysely';

// Access review campaigns. A campaign's rows are a snapshot taken at its start, written set-based (a campaign may
// list a million memberships), so the row tables carry no foreign keys: they name users, grants and edges as they
// were, and keep naming them after those change. Rows are numbered within their campaign; reviewers find theirs
// through the assignments' primary key in row order.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table access_reviews (
    id text primary key,
    name text not null,
    status text not null default 'open' check (status in ('open', 'closed')),
    scope jsonb not null,
    reviewers jsonb not null,
    auto_revoke_unreviewed boolean not null,
    allow_self_review boolean not null,
    created_by text not null references users (id),
    created_at timestamptz not null,
    deadline timestamptz not null,
    closed_at timestamptz,
    closed_by text references users (id),
    row_count integer not null default 0,
    total integer not null default 0,
    decided integer not null default 0,
    outcome jsonb
  )`.execute(db);
  await sql`create index access_reviews_open_deadline on access_reviews (deadline) where status = 'open'`.execute(
    db,
  );

  await sql`create table access_review_items (
    review_id text not null references access_reviews (id) on delete cascade,
    item_id text not null,
    item_type text not null check (item_type in ('group', 'resource')),
    name text not null,
    owner_group_id text,
    primary key (review_id, item_id)
  )`.execute(db);

  await sql`create table access_review_candidates (
    review_id text not null references access_reviews (id) on delete cascade,
    item_id text not null,
    user_id text not null,
    primary key (review_id, item_id, user_id)
  )`.execute(db);

  await sql`create table access_review_paths (
    review_id text not null references access_reviews (id) on delete cascade,
    path_no integer not null,
    edge_id text not null,
    item_id text not null,
    access_level text,
    parent_group_id text not null,
    from_group_id text not null,
    group_ids text[] not null,
    ends_at timestamptz,
    primary key (review_id, path_no)
  )`.execute(db);
  await sql`create index access_review_paths_from on access_review_paths (review_id, from_group_id)`.execute(
    db,
  );

  await sql`create table access_review_rows (
    review_id text not null,
    position integer not null,
    user_id text not null,
    item_id text not null,
    group_id text,
    resource_id text,
    access_level text,
    grant_id text,
    edge_id text,
    parent_group_id text,
    path_no integer,
    access_ends_at timestamptz,
    needs_decision boolean not null,
    decision text check (decision in ('keep', 'revoke', 'shorten')),
    keep_until timestamptz,
    decided_by text,
    decided_at timestamptz,
    comment text,
    effect text,
    primary key (review_id, position),
    check ((grant_id is null) <> (edge_id is null))
  )`.execute(db);

  await sql`create table access_review_assignments (
    review_id text not null,
    reviewer_id text not null,
    position integer not null,
    primary key (review_id, reviewer_id, position)
  )`.execute(db);
  await sql`create index access_review_assignments_row on access_review_assignments (review_id, position)`.execute(
    db,
  );

  await sql`create table access_review_reviewers (
    review_id text not null references access_reviews (id) on delete cascade,
    reviewer_id text not null,
    total integer not null,
    decided integer not null default 0,
    primary key (review_id, reviewer_id)
  )`.execute(db);
  await sql`create index access_review_reviewers_user on access_review_reviewers (reviewer_id)`.execute(db);

  await sql`create table access_review_delegations (
    review_id text not null references access_reviews (id) on delete cascade,
    from_user_id text not null references users (id),
    to_user_id text not null references users (id),
    until timestamptz not null,
    created_by text not null references users (id),
    created_at timestamptz not null,
    primary key (review_id, from_user_id)
  )`.execute(db);
  await sql`create index access_review_delegations_to on access_review_delegations (to_user_id)`.execute(db);

  await sql`create table access_review_reminders (
    review_id text not null references access_reviews (id) on delete cascade,
    kind text not null,
    sent_at timestamptz not null,
    primary key (review_id, kind)
  )`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'access_review_reminders',
    'access_review_delegations',
    'access_review_reviewers',
    'access_review_assignments',
    'access_review_rows',
    'access_review_paths',
    'access_review_candidates',
    'access_review_items',
    'access_reviews',
  ])
    await sql`drop table ${sql.table(table)}`.execute(db);
}
