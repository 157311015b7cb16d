import { TargetError } from '../connector.js';
import { MAX_IDENTIFIER_BYTES } from './postgres-config.js';

// Role names as the engine passes them. They reach SQL only as parameters or through escapeIdentifier; these
// checks keep out the names PostgreSQL would not hold as given.

/** A name in a message: quoted, with quotes and control characters escaped, so it cannot be misread. */
export const quote = (name: string) => JSON.stringify(name);

/** Refuses a name that could not be a role, before PostgreSQL would truncate it into another role's name. */
export function checkName(what: 'role' | 'account', name: string): void {
  if (typeof name !== 'string' || name === '' || name.includes('\0'))
    throw new TargetError(`${what} name must be a non-empty string without NUL characters`, false);
  if (Buffer.byteLength(name, 'utf8') > MAX_IDENTIFIER_BYTES)
    throw new TargetError(
      `${what} ${quote(name)} is longer than PostgreSQL's ${MAX_IDENTIFIER_BYTES} bytes`,
      false,
    );
}

/** Whether the name could be a role at all (a longer one names no account). */
export function isPossibleName(name: string): boolean {
  try {
    checkName('account', name);
    return true;
  } catch {
    return false;
  }
}
