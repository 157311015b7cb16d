import { TargetError, type Connector, type ParsedSettings } from '../../domain/connections/connector.js';
import { AppError } from '../../domain/errors.js';
import type { ConnectionRow } from '../../store/schema-connections.js';
import { openConnectionSecrets } from '../secrets/index.js';
import type { OpsDeps } from '../shared/deps.js';

// A connector for a stored connection, its secrets opened only here, at the moment of use.

export function connectionSettings(deps: Pick<OpsDeps, 'keys'>, row: ConnectionRow): ParsedSettings {
  return { config: row.config, secrets: openConnectionSecrets(deps.keys, row) };
}

export function kindsOf(deps: Pick<OpsDeps, 'connectors'>) {
  if (!deps.connectors)
    throw new AppError('unavailable', 'connected systems are not available in this process');
  return deps.connectors;
}

/** Runs `fn` with a connector for the connection and closes it after; a failure of the target is a 502. */
export async function withConnector<T>(
  deps: Pick<OpsDeps, 'keys' | 'connectors'>,
  row: ConnectionRow,
  fn: (c: Connector) => Promise<T>,
): Promise<T> {
  const connector = kindsOf(deps).open(row.kind, connectionSettings(deps, row));
  try {
    return await fn(connector);
  } catch (err) {
    // The target's refusal or absence, in its words: these calls are for admins, who configure the target.
    if (err instanceof TargetError) throw new AppError('target_unavailable', `${row.name}: ${err.message}`);
    throw err;
  } finally {
    await connector.close();
  }
}
