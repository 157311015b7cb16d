import { sql, type Kysely } from 'kysely';

// Access review campaigns keep the access nesting passes on once per group instead of once per user and edge.
// A campaign's nested rows are one per (user, edge into an item); writing them one by one took most of a
// campaign's start over a million memberships, for rows most of which no reviewer ever changes. Now:
// - access_review_sources: the groups whose members reach each parent group of an edge into an item;
// - access_review_blocks: the users reaching each such parent group as of the start, in chunks, in row order,
//   each with the group their access comes from and when it ends;
// - access_review_edges: each edge into an item and where its rows are (one per user of its parent's block).
// A nested row is written to access_review_rows only once something is said of it (a decision, its own
// reviewers, an effect); until then it is read from its edge and block. Campaigns started before keep every
// row in access_review_rows and have no edges here.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table access_review_sources (
    review_id text not null references access_reviews (id) on delete cascade,
    parent_group_id text not null,
    from_group_id text not null,
    depth integer not null,
    rank integer not null,
    ends_at timestamptz,
    primary key (review_id, parent_group_id, from_group_id)
  )`.execute(db);

  await sql`create table access_review_blocks (
    review_id text not null references access_reviews (id) on delete cascade,
    parent_group_id text not null,
    chunk_no integer not null,
    user_ids text[] not null,
    from_group_ids text[] not null,
    ends timestamptz[] not null,
    entries integer not null,
    open integer not null,
    primary key (review_id, parent_group_id, chunk_no)
  )`.execute(db);

  await sql`create table access_review_edges (
    review_id text not null references access_reviews (id) on delete cascade,
    edge_id text not null,
    item_id text not null,
    group_id text,
    resource_id text,
    access_level text,
    parent_group_id text not null,
    ends_at timestamptz,
    first_position integer,
    row_count integer not null,
    open_count integer not null,
    closing text check (closing in ('removed', 'gone')),
    primary key (review_id, edge_id)
  )`.execute(db);
  await sql`create index access_review_edges_first on access_review_edges (review_id, first_position)`.execute(
    db,
  );
  await sql`create index access_review_edges_item on access_review_edges (review_id, item_id)`.execute(db);

  await sql`alter table access_review_items add column direct_rows integer not null default 0`.execute(db);
  await sql`create index access_review_paths_edge on access_review_paths (review_id, edge_id, from_group_id)`.execute(
    db,
  );
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index access_review_paths_edge`.execute(db);
  await sql`alter table access_review_items drop column direct_rows`.execute(db);
  await sql`drop table access_review_edges`.execute(db);
  await sql`drop table access_review_blocks`.execute(db);
  await sql`drop table access_review_sources`.execute(db);
}
