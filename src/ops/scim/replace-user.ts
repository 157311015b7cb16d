import { ScimError } from '../../domain/scim/errors.js';
import { applyPatch, parsePatchRequest } from '../../domain/scim/patch.js';
import { readScimUser, toScimUser } from '../../domain/scim/user-resource.js';
import { scimUserById, type ScimUserRecord } from '../../store/scim.js';
import type { OpsDeps } from '../shared/deps.js';
import { runInTransaction } from '../shared/transaction.js';
import type { ScimCaller } from './authenticate.js';
import { rewriteUser } from './write-user.js';

async function changeUser(
  deps: OpsDeps,
  caller: ScimCaller,
  id: string,
  next: (current: ScimUserRecord) => unknown,
): Promise<ScimUserRecord> {
  const now = deps.now();
  return runInTransaction(deps, async (trx) => {
    const before = await scimUserById(trx, id, true);
    if (!before) throw new ScimError(404, `no user with id ${id}`);
    const { record, events } = await rewriteUser(trx, caller, before, readScimUser(next(before)), now);
    return { result: record, events };
  });
}

/** PUT: the document replaces what the provider owns of the user. */
export function replaceScimUser(deps: OpsDeps, caller: ScimCaller, id: string, body: unknown) {
  return changeUser(deps, caller, id, () => body);
}

/** PATCH: the operations apply to the user as served, and the result is written as a PUT would be. */
export function patchScimUser(deps: OpsDeps, caller: ScimCaller, id: string, body: unknown) {
  const ops = parsePatchRequest(body);
  return changeUser(deps, caller, id, (current) => applyPatch(toScimUser(current, ''), ops, 'User'));
}
