import { sql, type Kysely, type Transaction } from 'kysely';
import type { DirectoryUser } from '../domain/on-call/shifts.js';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * The users a set of e-mails and names could refer to: by e-mail, by name, or by the local part of their
 * e-mail, all case-insensitively. Matching then decides (and refuses ambiguous names) on this small set
 * rather than on every user; each of the three lookups has an index (migration 0008).
 */
export async function directoryFor(db: Db, emails: string[], names: string[]): Promise<DirectoryUser[]> {
  const lowerEmails = [...new Set(emails.map((e) => e.trim().toLowerCase()).filter(Boolean))];
  const lowerNames = [
    ...new Set(names.map((n) => n.trim().replace(/\s+/g, ' ').toLowerCase()).filter(Boolean)),
  ];
  if (lowerEmails.length === 0 && lowerNames.length === 0) return [];
  const rows = await db
    .selectFrom('users')
    .select(['id', 'email', 'name'])
    .where((eb) =>
      eb.or([
        ...(lowerEmails.length ? [eb('email_normalized', 'in', lowerEmails)] : []),
        ...(lowerNames.length
          ? [
              eb(sql`lower(regexp_replace(trim(name), '\\s+', ' ', 'g'))`, 'in', lowerNames),
              eb(sql`split_part(email_normalized, '@', 1)`, 'in', lowerNames),
            ]
          : []),
      ]),
    )
    .execute();
  return rows;
}
