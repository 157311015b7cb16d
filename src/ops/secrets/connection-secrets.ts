import type { Keys } from '../../keys/load-keys.js';
import { openFor, sealFor } from './stored-secrets.js';

// A connection's secrets (a password, a bind password, a bearer token), sealed for its row and opened only to
// reach the target.

type K = Pick<Keys, 'secret'>;

export const sealConnectionSecrets = (keys: K, id: string, secrets: Record<string, unknown>) =>
  sealFor(keys, 'connections', id, JSON.stringify(secrets));

export const openConnectionSecrets = (keys: K, row: { id: string; sealed_secrets: string }) =>
  JSON.parse(openFor(keys, 'connections', row.id, row.sealed_secrets)) as Record<string, unknown>;
