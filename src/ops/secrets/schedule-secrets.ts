import type { Keys } from '../../keys/load-keys.js';
import type { OnCallScheduleRow } from '../../store/schema-on-call.js';
import { openFor, sealFor } from './stored-secrets.js';

// A schedule's provider credential (API token or key, or a feed URL carrying one), sealed for its row and opened
// only to fetch, and to keep it across a change of the other settings.

type K = Pick<Keys, 'secret'>;

export const sealScheduleSecret = (keys: K, id: string, secret: string | null) =>
  secret === null ? null : sealFor(keys, 'on_call_schedules', id, secret);

/** The credential; a row written before secrets were sealed (not yet sealed by start-up) has it in clear. */
export function openScheduleSecret(
  keys: K,
  row: Pick<OnCallScheduleRow, 'id' | 'secret' | 'sealed_secret'>,
): string | null {
  if (row.sealed_secret !== null) return openFor(keys, 'on_call_schedules', row.id, row.sealed_secret);
  return row.secret;
}
