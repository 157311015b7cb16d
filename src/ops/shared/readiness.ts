import { isMigrated, pingDatabase } from '../../store/migrate.js';
import type { OpsDeps } from './deps.js';

export type Readiness = { ready: true } | { ready: false; reason: string };

/** Whether this process can answer: its database reachable and migrated. */
export async function readiness(deps: Pick<OpsDeps, 'db'>): Promise<Readiness> {
  try {
    await pingDatabase(deps.db);
    if (!(await isMigrated(deps.db))) return { ready: false, reason: 'migrations pending' };
    return { ready: true };
  } catch {
    return { ready: false, reason: 'database unreachable' };
  }
}
