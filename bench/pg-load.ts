import { sql, type Kysely } from 'kysely';
import type { EdgeFact, GrantFact } from '../src/domain/access-facts.js';
import type { Database } from '../src/store/schema.js';

// Loads a generated dataset into Latch's own tables, in large batches through unnest(), so the server and the
// recursive-CTE comparison (cte-compare.ts) read exactly what the in-process index was built from.

const CHUNK = 20_000;

async function chunked<T>(rows: T[], insert: (part: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

const ts = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export async function loadDataset(
  db: Kysely<Database>,
  data: { users: string[]; groups: string[]; edges: EdgeFact[]; grants: GrantFact[] },
  now: number,
) {
  const created = new Date(now - 86_400_000).toISOString();
  await chunked(data.users, (ids) =>
    sql`insert into users (id, email, email_normalized, user_name, name, role, status, created_at, updated_at)
        select id, id || '@bench.test', id || '@bench.test', id || '@bench.test', id, 'member', 'active',
               ${created}::timestamptz, ${created}::timestamptz
        from unnest(${ids}::text[]) as id`.execute(db),
  );
  await chunked(data.groups, (ids) =>
    sql`insert into groups (id, name, description, created_at, updated_at)
        select id, id, '', ${created}::timestamptz, ${created}::timestamptz from unnest(${ids}::text[]) as id`.execute(
      db,
    ),
  );
  const groupEdges = data.edges.filter((e) => e.childGroupId !== null);
  await chunked(groupEdges, (edges) =>
    sql`insert into assets (id, group_id, asset_group_id, expires_at, created_at)
        select * , ${created}::timestamptz from unnest(${edges.map((e) => e.id)}::text[], ${edges.map((e) => e.parentGroupId)}::text[],
          ${edges.map((e) => e.childGroupId)}::text[], ${edges.map((e) => ts(e.endsAt))}::timestamptz[])`.execute(
      db,
    ),
  );
  const groupGrants = data.grants.filter((g) => g.groupId !== null);
  await chunked(groupGrants, (grants) =>
    sql`insert into grants (id, user_id, group_id, source, created_at, starts_at, expires_at)
        select g.id, g.u, g.grp, g.src, ${created}::timestamptz, g.s, g.e
        from unnest(${grants.map((g) => g.id)}::text[], ${grants.map((g) => g.userId)}::text[], ${grants.map((g) => g.groupId)}::text[],
          ${grants.map((g) => g.source)}::text[], ${grants.map((g) => ts(g.startsAt))}::timestamptz[], ${grants.map((g) => ts(g.endsAt))}::timestamptz[])
          as g(id, u, grp, src, s, e)`.execute(db),
  );
  // Vacuum now, not during the measurements: autovacuum after a million-row load takes a core for a while.
  await sql`vacuum analyze`.execute(db);
  await sql`checkpoint`.execute(db);
}
