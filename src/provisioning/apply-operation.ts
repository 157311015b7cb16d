import { TargetError, type Connector, type RevokeOptions } from '../domain/connections/connector.js';
import type { EngineConnection, Operation, Outcome } from '../ops/connections/index.js';

// One remote operation against its target: add an account to a remote item (once the account is known to exist
// there: a user without one is reported, not failed), or take it out, ending its sessions where the connection
// says so. Failures of the target are outcomes; anything else is a defect, reported and retried.

/** PostgreSQL connections end a removed account's sessions unless configured not to. */
export const revokeOptions = (c: EngineConnection): RevokeOptions =>
  c.kind === 'postgres' ? { terminateSessions: c.settings.config.terminateSessions !== false } : {};

export async function applyOperation(
  connector: Connector,
  c: EngineConnection,
  op: Operation,
  onError?: (err: unknown) => void,
): Promise<Outcome> {
  try {
    if (op.step.kind === 'add') {
      if (!(await connector.accountExists(op.step.account)))
        return { kind: 'no_account', detail: `no account '${op.step.account}' in ${c.name}` };
      const r = await connector.addMember(op.remoteId, op.step.account);
      return { kind: 'applied', changed: r.changed };
    }
    const options = revokeOptions(c);
    const r = await connector.removeMember(op.remoteId, op.step.account, options);
    return {
      kind: 'applied',
      changed: r.changed,
      ...(options.terminateSessions ? { sessionsEnded: true } : {}),
    };
  } catch (err) {
    if (err instanceof TargetError) return { kind: 'failed', detail: err.message, retryable: err.retryable };
    onError?.(err);
    return { kind: 'failed', detail: 'failed inside Latch (see the server log)', retryable: true };
  }
}
