import {
  TargetError,
  type Connector,
  type MemberChange,
  type RevokeOptions,
} from '../domain/connections/connector.js';
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

/** Accounts in one statement of a connector that takes many at once. */
const BATCH = 5000;

/**
 * A lane's leased operations: those of one remote item and one kind go to the target together where the
 * connector can (a statement for many accounts); the rest, and a batch the target refused as a whole, one by
 * one, `concurrency` at a time. A batch the target could not take (down, timing out) fails every one in it.
 */
export async function applyOperations(
  connector: Connector,
  c: EngineConnection,
  ops: readonly Operation[],
  concurrency: number,
  onError?: (err: unknown) => void,
): Promise<{ op: Operation; outcome: Outcome }[]> {
  const results: { op: Operation; outcome: Outcome }[] = [];
  const single: Operation[] = [];
  const groups = new Map<string, Operation[]>();
  for (const op of ops) {
    const key = `${op.step.kind}\u0000${op.remoteId}`;
    groups.set(key, [...(groups.get(key) ?? []), op]);
  }
  for (const group of groups.values()) {
    const kind = group[0]!.step.kind;
    const batch = kind === 'add' ? connector.addMembers : connector.removeMembers;
    if (!batch || group.length < 2) {
      single.push(...group);
      continue;
    }
    for (let i = 0; i < group.length; i += BATCH) {
      const chunk = group.slice(i, i + BATCH);
      const done = await applyBatch(connector, c, chunk, onError);
      if (done) results.push(...done);
      else single.push(...chunk);
    }
  }
  let next = 0;
  const worker = async () => {
    while (next < single.length) {
      const op = single[next++]!;
      results.push({ op, outcome: await applyOperation(connector, c, op, onError) });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, single.length) }, worker));
  return results;
}

/** One batch; undefined when the target refused it as a whole, so its operations are made one by one. */
async function applyBatch(
  connector: Connector,
  c: EngineConnection,
  ops: Operation[],
  onError?: (err: unknown) => void,
): Promise<{ op: Operation; outcome: Outcome }[] | undefined> {
  const { remoteId, step } = ops[0]!;
  const accounts = ops.map((o) => o.step.account);
  const options = revokeOptions(c);
  let changes: MemberChange[];
  try {
    changes =
      step.kind === 'add'
        ? await connector.addMembers!(remoteId, accounts)
        : await connector.removeMembers!(remoteId, accounts, options);
  } catch (err) {
    if (err instanceof TargetError && !err.retryable) return undefined;
    const outcome: Outcome =
      err instanceof TargetError
        ? { kind: 'failed', detail: err.message, retryable: true }
        : { kind: 'failed', detail: 'failed inside Latch (see the server log)', retryable: true };
    if (!(err instanceof TargetError)) onError?.(err);
    return ops.map((op) => ({ op, outcome }));
  }
  const byAccount = new Map(changes.map((ch) => [ch.account, ch]));
  return ops.map((op) => {
    const ch = byAccount.get(op.step.account);
    if (!ch)
      return {
        op,
        outcome: { kind: 'failed', detail: 'the target did not answer for this account', retryable: true },
      };
    if (ch.result === 'no_account')
      return { op, outcome: { kind: 'no_account', detail: `no account '${op.step.account}' in ${c.name}` } };
    if (ch.result === 'refused')
      return { op, outcome: { kind: 'failed', detail: ch.reason, retryable: false } };
    return {
      op,
      outcome: {
        kind: 'applied',
        changed: ch.result === 'changed',
        ...(step.kind === 'remove' && options.terminateSessions ? { sessionsEnded: true } : {}),
      },
    };
  });
}
