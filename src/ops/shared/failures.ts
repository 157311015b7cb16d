import { AppError, unavailable } from '../../domain/errors.js';
import { isConnectionFailure } from '../../store/connection-failures.js';

/** A failure a caller should be told about in the API's terms, or undefined for an internal error. */
export function asAppError(err: unknown): AppError | undefined {
  if (err instanceof AppError) return err;
  if (isConnectionFailure(err)) return unavailable();
  return undefined;
}
