import { toCheckpoint, type Checkpoint } from '../../domain/audit-checkpoint-records.js';
import type { User } from '../../domain/users.js';
import { listCheckpoints } from '../../store/audit-checkpoints.js';
import { authorize } from '../shared/authorization.js';
import type { OpsDeps } from '../shared/deps.js';

/** Signed checkpoints of the audit log, newest first, for admins and auditors (who may verify the log). */
export async function listAuditCheckpoints(
  deps: Pick<OpsDeps, 'db'>,
  actor: User,
  page: { beforeSeq?: number | undefined; limit: number },
): Promise<Checkpoint[]> {
  authorize(actor, 'audit', 'verify', {}, 'only admins and auditors can read the audit checkpoints');
  return (await listCheckpoints(deps.db, page)).map(toCheckpoint);
}
