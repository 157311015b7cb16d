import { isMigrated, pingDatabase } from '../../store/migrate.js';
import type { OpsDeps } from './deps.js';

export type Readiness = { ready: true } | { ready: false; reason: string };

/**
 * Whether this process can answer: its database reachable and migrated, and its access index able to answer
 * (not stale beyond the allowed lag). A load balancer then sends traffic elsewhere until it recovers.
 */
export async function readiness(deps: Pick<OpsDeps, 'db' | 'index'>): Promise<Readiness> {
  try {
    await pingDatabase(deps.db);
    if (!(await isMigrated(deps.db))) return { ready: false, reason: 'migrations pending' };
  } catch {
    return { ready: false, reason: 'database unreachable' };
  }
  const index = deps.index.freshness();
  return index.answers ? { ready: true } : { ready: false, reason: `access index: ${index.reason}` };
}
