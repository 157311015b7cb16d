import { parseAccountRule } from '../../domain/connections/account-rule.js';
import {
  parseConnectionName,
  parseMode,
  parseSyncMinutes,
  type Connection,
} from '../../domain/connections/connection.js';
import { conflict, invalid, notFound } from '../../domain/errors.js';
import type { Actor } from '../../domain/users.js';
import {
  connectionNameTaken,
  findConnectionRow,
  toConnection,
  updateConnectionRow,
} from '../../store/connections.js';
import { sealConnectionSecrets } from '../secrets/index.js';
import { authorize } from '../shared/authorization.js';
import type { OpsDeps } from '../shared/deps.js';
import { diffFields } from '../shared/diff-fields.js';
import { runInTransaction } from '../shared/transaction.js';
import { ADMINS_ONLY } from './connection-view.js';
import { connectionSettings, kindsOf } from './open-connector.js';

export interface ConnectionChanges {
  name?: unknown;
  kind?: unknown;
  config?: unknown;
  /** Replaces the secrets; absent keeps them. */
  secrets?: unknown;
  mode?: unknown;
  syncMinutes?: unknown;
  accountRule?: unknown;
}

/** Changes a connection (admins). New settings are checked together with the secrets they will be used with. */
export async function updateConnection(
  deps: OpsDeps,
  actor: Actor,
  id: string,
  input: ConnectionChanges,
): Promise<Connection> {
  authorize(actor, 'connection', 'manage', {}, ADMINS_ONLY);
  const kinds = kindsOf(deps);
  return runInTransaction(deps, async (trx) => {
    const row = await findConnectionRow(trx, id, true);
    if (!row) throw notFound('connection', id);
    if (input.kind !== undefined && input.kind !== row.kind)
      throw invalid('kind', 'cannot change: add a new connection for another kind of system');
    const name = input.name !== undefined ? parseConnectionName(input.name) : undefined;
    if (name !== undefined && (await connectionNameTaken(trx, name, id)))
      throw conflict(`a connection named '${name}' already exists`);
    const changesSettings = input.config !== undefined || input.secrets !== undefined;
    const current = changesSettings ? connectionSettings(deps, row) : undefined;
    const settings =
      current && kinds.parse(row.kind, input.config ?? current.config, input.secrets ?? current.secrets);
    const before = toConnection(row);
    const after = toConnection(
      await updateConnectionRow(
        trx,
        id,
        {
          ...(name !== undefined ? { name } : {}),
          ...(settings ? { config: settings.config } : {}),
          ...(input.secrets !== undefined && settings
            ? { sealedSecrets: sealConnectionSecrets(deps.keys, id, settings.secrets) }
            : {}),
          ...(input.mode !== undefined ? { mode: parseMode(input.mode) } : {}),
          ...(input.syncMinutes !== undefined ? { syncMinutes: parseSyncMinutes(input.syncMinutes) } : {}),
          ...(input.accountRule !== undefined ? { accountRule: parseAccountRule(input.accountRule) } : {}),
        },
        deps.now(),
      ),
    );
    const changes = diffFields(before, after, ['name', 'config', 'mode', 'syncMinutes', 'accountRule']);
    const secretsReplaced = input.secrets !== undefined;
    if (Object.keys(changes).length === 0 && !secretsReplaced) return { result: after, events: [] };
    return {
      result: after,
      events: [
        {
          type: 'connection.updated',
          actorId: actor.id,
          subjects: [{ type: 'connection', id }],
          data: { name: after.name, changes, secretsReplaced },
        },
      ],
    };
  });
}
