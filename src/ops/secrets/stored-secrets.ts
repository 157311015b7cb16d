import type { Keys } from '../../keys/load-keys.js';
import { open, seal } from '../../keys/secret-box.js';
import { SEALED_COLUMNS, type SealedTable } from '../../store/sealed-secrets.js';

// Sealing and opening a stored secret for the one place it belongs: table, row and column are bound into the
// envelope, so a sealed value copied to another row does not open there.

export const sealedContext = (table: SealedTable, id: string) => `${table}/${id}/${SEALED_COLUMNS[table]}`;

export const sealFor = (keys: Pick<Keys, 'secret'>, table: SealedTable, id: string, plaintext: string) =>
  seal(keys.secret, plaintext, sealedContext(table, id));

/** Throws SecretKeyMismatchError (another key sealed it) or SecretDamagedError; neither names the value. */
export const openFor = (keys: Pick<Keys, 'secret'>, table: SealedTable, id: string, sealed: string) =>
  open(keys.secret, sealed, sealedContext(table, id));
