import { apiRequest, CliError, type ClientConfig } from './client.js';
import type { Campaign } from './review-campaigns.js';
import { namesOf } from './review-row-words.js';
import { parseWhen } from './when.js';

// Handing a reviewer's rows in a campaign to someone else until a date, and ending that early. The messages name
// people by e-mail and campaigns by name.

export interface Delegation {
  fromUserId: string;
  toUserId: string;
  until: string;
  createdBy: string;
  createdAt: string;
}

interface Person {
  id: string;
  email: string;
}

const enc = encodeURIComponent;

/** A user by id, e-mail or `me`, with the e-mail to name them by. */
async function person(cfg: ClientConfig, ref: string): Promise<Person> {
  return apiRequest<Person>(cfg, 'GET', ref === 'me' ? '/me' : `/users/${enc(ref)}`);
}

/** The e-mail of a user id; the id itself when the API will not show the user. */
const emailOf = async (cfg: ClientConfig, id: string) => (await namesOf(cfg, 'users', [id])).get(id)!;

function assertOpen(c: Campaign) {
  if (c.status !== 'open')
    throw new CliError(`"${c.name}" is closed (at ${c.closedAt}): its rows are no longer handed over`);
}

/** `--until` as the API takes it; a moment already past is refused here, before anything is sent. */
export function untilFromFlag(text: string, now = Date.now()): string {
  const until = parseWhen(text, '--until');
  if (Date.parse(until) <= now)
    throw new CliError(`--until: ${until} has passed: give a time to come (3d, 2030-06-30)`, 2);
  return until;
}

/** Hands FROM's rows in the campaign to TO until then; a new handover of the same reviewer replaces the last. */
export async function delegate(
  cfg: ClientConfig,
  c: Campaign,
  refs: { from: string; to: string; until: string },
): Promise<{ delegation: Delegation; words: string }> {
  assertOpen(c);
  const [from, to] = await Promise.all([person(cfg, refs.from), person(cfg, refs.to)]);
  if (from.id === to.id)
    throw new CliError(`--to is ${to.email}, whose rows these are: hand them to someone else`, 2);
  const delegation = await apiRequest<Delegation>(cfg, 'POST', `/access-reviews/${enc(c.id)}/delegations`, {
    fromUserId: from.id,
    toUserId: to.id,
    until: refs.until,
  });
  return {
    delegation,
    words: `${from.email}'s rows in "${c.name}" go to ${to.email} until ${delegation.until}`,
  };
}

/**
 * The API's 404 for a missing handover. A server without the endpoint answers 404 too, with "no route for …",
 * which is passed on as it is.
 */
const isNoDelegation = (err: unknown) =>
  err instanceof CliError &&
  / \(404 not_found\)$/.test(err.message) &&
  !err.message.startsWith('no route for ');

const handoverOf = (c: { delegations?: Delegation[] }, fromUserId: string) =>
  c.delegations?.find((d) => d.fromUserId === fromUserId);

/**
 * Ends FROM's running handover now. Returns the handover as the API shows it after (`until` is when it ended), else
 * as the campaign showed it before.
 */
export async function undelegate(
  cfg: ClientConfig,
  c: Campaign & { delegations?: Delegation[] },
  fromRef: string,
): Promise<{ delegation: Delegation | { fromUserId: string }; words: string }> {
  assertOpen(c);
  const from = await person(cfg, fromRef);
  try {
    await apiRequest(cfg, 'DELETE', `/access-reviews/${enc(c.id)}/delegations/${enc(from.id)}`);
  } catch (err) {
    if (isNoDelegation(err)) throw new CliError(`no rows of ${from.email} are handed over in "${c.name}"`);
    throw err;
  }
  const after = await apiRequest<{ delegations?: Delegation[] }>(cfg, 'GET', `/access-reviews/${enc(c.id)}`);
  const delegation = handoverOf(after, from.id) ?? handoverOf(c, from.id);
  const to = delegation ? ` to ${await emailOf(cfg, delegation.toUserId)}` : '';
  return {
    delegation: delegation ?? { fromUserId: from.id },
    words: `${from.email}'s rows in "${c.name}" are no longer handed over${to}: ${from.email} decides them again`,
  };
}
