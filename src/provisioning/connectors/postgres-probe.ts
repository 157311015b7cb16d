import type pg from 'pg';
import type { TestResult } from '../connector.js';
import { serverFacts } from './postgres-catalog.js';

// What `test()` checks once connected: the least privileges the connector needs, and no more. A superuser
// login (or one that can SET ROLE to a superuser) is refused although it would work: Latch never needs it,
// and a leaked Latch database would otherwise hand over the whole target cluster.

export async function probe(c: pg.PoolClient, needsSignal: boolean): Promise<TestResult> {
  const f = await serverFacts(c);
  const who = `PostgreSQL ${f.version}, logged in as ${JSON.stringify(f.login)}`;
  if (f.superuser)
    return {
      ok: false,
      detail: `${who}, which is a superuser: use a dedicated role with CREATEROLE${needsSignal ? ' and pg_signal_backend' : ''} instead (Latch never needs a superuser)`,
    };
  if (f.superuserVia)
    return {
      ok: false,
      detail: `${who}, which can become the superuser role(s) ${f.superuserVia} by SET ROLE: revoke that membership (Latch never needs a superuser)`,
    };
  if (!f.createRole)
    return { ok: false, detail: `${who}, which lacks CREATEROLE: grant it with ALTER ROLE ... CREATEROLE` };
  if (needsSignal && !f.canSignal)
    return {
      ok: false,
      detail: `${who}, which is not a member of pg_signal_backend, needed to end the sessions of revoked accounts (or turn terminateSessions off)`,
    };
  const signal = needsSignal ? ', member of pg_signal_backend' : '';
  return {
    ok: true,
    detail: `${who} (CREATEROLE${signal}, not a superuser); ${f.linkable} role(s) can be linked`,
  };
}
