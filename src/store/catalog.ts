import { sql, type Kysely, type Transaction } from 'kysely';
import { likePattern } from './groups.js';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

// The catalog: every live group and resource in one list, ordered by name (case-insensitively) then id, so a
// keyset cursor of (lowercased name, id) pages through both kinds at once.

export interface CatalogRow {
  type: 'group' | 'resource';
  id: string;
  name: string;
  description: string;
  access_levels: string[] | null;
  sort_key: string;
}

export interface CatalogFilter {
  query?: string | undefined;
  after?: { sortKey: string; id: string } | undefined;
  limit: number;
}

export async function catalogPage(db: Db, f: CatalogFilter): Promise<CatalogRow[]> {
  const conditions = [sql`true`];
  if (f.query) conditions.push(sql`c.sort_key like ${likePattern(f.query)}`);
  if (f.after) conditions.push(sql`(c.sort_key, c.id) > (${f.after.sortKey}, ${f.after.id})`);
  const result = await sql<CatalogRow>`
    select * from (
      select 'group' as type, id, name, description, null::text[] as access_levels, lower(name) as sort_key
        from groups where deleted_at is null
      union all
      select 'resource' as type, id, name, description, access_levels, lower(name) as sort_key
        from resources where deleted_at is null
    ) c
    where ${sql.join(conditions, sql` and `)}
    order by c.sort_key, c.id
    limit ${f.limit}`.execute(db);
  return result.rows;
}
