import { ScimError } from '../../src/domain/scim/errors.js';

/** The ScimError `fn` throws; anything else thrown, or nothing, fails the test. */
export function scimError(fn: () => unknown): ScimError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ScimError) return err;
    throw err;
  }
  throw new Error('expected a ScimError');
}
