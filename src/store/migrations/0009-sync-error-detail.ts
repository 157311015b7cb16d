import { sql, type Kysely } from 'kysely';

// A failed on-call fetch is told in Latch's own words (`sync_error`, shown to everyone who sees the schedule)
// and, apart, in the provider's (`sync_error_detail`, shown to admins and auditors only): a provider's error
// body is remote text that members have no reason to read. Errors recorded before mixed the two, so they move
// to the detail and everyone else sees a plain statement until the next fetch.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table on_call_schedules add column sync_error_detail text`.execute(db);
  await sql`
    update on_call_schedules
    set sync_error_detail = sync_error, sync_error = 'The last fetch failed'
    where sync_error is not null
  `.execute(db);
}
