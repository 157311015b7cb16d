import { sql, type Kysely } from 'kysely';

// Access review campaigns keep their reviewers per item instead of per row. A row's reviewers are its item's,
// except the rows whose own user is one of them (self-review not allowed): only those keep reviewers of their
// own in access_review_assignments. Writing a reviewer per row took a campaign over a million memberships
// longer than writing its rows. Items also keep where their rows are (rows are numbered item by item) and how
// many there are, so a reviewer's rows are read item by item.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  // Rows of campaigns started before keep the reviewers each was assigned: the column reads true for them.
  await sql`alter table access_review_rows add column own_reviewers boolean not null default true`.execute(
    db,
  );
  await sql`alter table access_review_rows alter column own_reviewers set default false`.execute(db);
  await sql`create index access_review_rows_own on access_review_rows (review_id, position)
    where own_reviewers`.execute(db);

  await sql`create table access_review_item_reviewers (
    review_id text not null references access_reviews (id) on delete cascade,
    item_id text not null,
    reviewer_id text not null,
    primary key (review_id, item_id, reviewer_id)
  )`.execute(db);
  await sql`create index access_review_item_reviewers_reviewer
    on access_review_item_reviewers (review_id, reviewer_id)`.execute(db);

  await sql`alter table access_review_items
    add column first_position integer,
    add column last_position integer,
    add column shared_rows integer not null default 0,
    add column shared_open integer not null default 0`.execute(db);
  await sql`create index access_review_items_first on access_review_items (review_id, first_position)`.execute(
    db,
  );
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index access_review_items_first`.execute(db);
  await sql`alter table access_review_items drop column first_position, drop column last_position,
    drop column shared_rows, drop column shared_open`.execute(db);
  await sql`drop table access_review_item_reviewers`.execute(db);
  await sql`drop index access_review_rows_own`.execute(db);
  await sql`alter table access_review_rows drop column own_reviewers`.execute(db);
}
