import { parseAccountRule } from '../../domain/connections/account-rule.js';
import {
  parseConnectionName,
  parseKind,
  parseMode,
  parseSyncMinutes,
  type Connection,
} from '../../domain/connections/connection.js';
import { conflict } from '../../domain/errors.js';
import type { Actor } from '../../domain/users.js';
import {
  connectionNameTaken,
  insertConnection,
  newConnectionId,
  toConnection,
} from '../../store/connections.js';
import { sealConnectionSecrets } from '../secrets/index.js';
import { authorize } from '../shared/authorization.js';
import type { OpsDeps } from '../shared/deps.js';
import { runInTransaction } from '../shared/transaction.js';
import { ADMINS_ONLY, connectionEventData } from './connection-view.js';
import { kindsOf } from './open-connector.js';

export interface ConnectionInput {
  name: unknown;
  kind: unknown;
  config: unknown;
  secrets: unknown;
  mode: unknown;
  syncMinutes?: unknown;
  accountRule?: unknown;
}

/** Adds a connection (admins). Its settings are checked by its kind's connector; its secrets are sealed. */
export async function createConnection(
  deps: OpsDeps,
  actor: Actor,
  input: ConnectionInput,
): Promise<Connection> {
  authorize(actor, 'connection', 'manage', {}, ADMINS_ONLY);
  const name = parseConnectionName(input.name);
  const kind = parseKind(input.kind);
  const settings = kindsOf(deps).parse(kind, input.config, input.secrets);
  const fields = {
    name,
    kind,
    config: settings.config,
    mode: parseMode(input.mode),
    syncMinutes: parseSyncMinutes(input.syncMinutes),
    accountRule: parseAccountRule(input.accountRule),
  };
  return runInTransaction(deps, async (trx) => {
    if (await connectionNameTaken(trx, name)) throw conflict(`a connection named '${name}' already exists`);
    const id = newConnectionId();
    const sealedSecrets = sealConnectionSecrets(deps.keys, id, settings.secrets);
    const connection = toConnection(
      await insertConnection(trx, id, { ...fields, sealedSecrets }, deps.now()),
    );
    return {
      result: connection,
      events: [
        {
          type: 'connection.created',
          actorId: actor.id,
          subjects: [{ type: 'connection', id }],
          data: connectionEventData(connection),
        },
      ],
    };
  });
}
