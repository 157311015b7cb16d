import { sql, type Kysely } from 'kysely';

// Secrets are stored sealed (src/keys/secret-box.ts) in columns of their own, so a value still in clear (the old
// channel config fields, the old schedule `secret` column) is told apart from a sealed one by where it is, never by
// guessing from its text. A migration cannot see the secret key: start-up seals what is still in clear
// (src/ops/secrets/seal-clear.ts). The checks keep anything but an envelope out of the sealed columns.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('notification_channels')
    .addColumn('sealed_secrets', 'text', (c) => c.check(sql`sealed_secrets like 'lsb1.%'`))
    .execute();
  await db.schema
    .alterTable('on_call_schedules')
    .addColumn('sealed_secret', 'text', (c) => c.check(sql`sealed_secret like 'lsb1.%'`))
    .execute();
}
