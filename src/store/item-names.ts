import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Names of groups and resources by id (deleted ones included: a notice about them still needs a name). */
export async function itemNamesByIds(
  db: Db,
  groupIds: string[],
  resourceIds: string[],
): Promise<Map<string, string>> {
  const [groups, resources] = await Promise.all([
    groupIds.length
      ? db
          .selectFrom('groups')
          .select(['id', 'name'])
          .where('id', 'in', [...new Set(groupIds)])
          .execute()
      : [],
    resourceIds.length
      ? db
          .selectFrom('resources')
          .select(['id', 'name'])
          .where('id', 'in', [...new Set(resourceIds)])
          .execute()
      : [],
  ]);
  return new Map([...groups, ...resources].map((i) => [i.id, i.name]));
}
