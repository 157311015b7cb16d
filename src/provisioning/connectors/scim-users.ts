import { TargetError } from '../connector.js';
import { ScimTargetError, type ScimHttp } from './scim-http.js';
import { filterValue, idOf, idSegment, readList, short, usableId } from './scim-resources.js';

// Users of the service provider, found by userName (accounts, as Latch names them) or by id (group members).
// Member ids are resolved in batches (`id eq "a" or id eq "b" …`), a few at a time, so a group of a few
// thousand members costs tens of requests; a service that rejects `or` filters is asked one id at a time.

/** Ids per batched filter: about 2,600 characters of filter, within common URL and filter limits. */
const BATCH = 50;
/** Requests in flight at once for one connector call. */
const CONCURRENCY = 4;

/** The users whose userName equals `account` (the service compares case as its schema says). */
export async function findUsers(http: ScimHttp, account: string): Promise<Record<string, unknown>[]> {
  const filter = encodeURIComponent(`userName eq ${filterValue(account)}`);
  const what = `the user named "${short(account)}"`;
  const body = await http.call({ method: 'GET', path: `/Users?filter=${filter}&attributes=userName`, what });
  return readList(body, what).resources.filter((r) => idOf(r) !== undefined);
}

/** The id of the only user found, or the TargetError saying there is none or several. */
export function theOne(host: string, account: string, found: Record<string, unknown>[]): string {
  if (found.length === 1) return idOf(found[0]!)!;
  const named = `"${short(account)}"`;
  throw new TargetError(
    found.length === 0
      ? `the SCIM service at ${host} has no user named ${named}`
      : `the SCIM service at ${host} has ${found.length} users named ${named}`,
    false,
  );
}

/** userName by user id, for the ids the service knows; others are left out. */
export async function userNamesById(http: ScimHttp, ids: readonly string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const batches: string[][] = [];
  for (let i = 0; i < ids.length; i += BATCH) batches.push(ids.slice(i, i + BATCH));
  let batched = true;
  await inTurns(batches, async (batch) => {
    let missing = batch;
    if (batched) {
      try {
        const page = await byFilter(http, batch);
        for (const r of page.resources) record(names, r);
        // A service that pages below our count leaves some out: those are asked one by one.
        missing = page.truncated ? batch.filter((id) => !names.has(id)) : [];
      } catch (err) {
        if (!(err instanceof ScimTargetError && err.status === 400)) throw err;
        batched = false;
      }
    }
    // One at a time: the batches already run side by side.
    for (const id of missing) {
      const user = await byId(http, id);
      if (user) record(names, user);
    }
  });
  return names;
}

async function byFilter(http: ScimHttp, batch: string[]) {
  const filter = encodeURIComponent(batch.map((id) => `id eq ${filterValue(id)}`).join(' or '));
  const what = 'the members of a group';
  const path = `/Users?filter=${filter}&attributes=userName&count=${batch.length}`;
  const page = readList(await http.call({ method: 'GET', path, what }), what);
  return { resources: page.resources, truncated: page.resources.length < page.totalResults };
}

/** One user, or undefined when the service does not know the id. */
async function byId(http: ScimHttp, id: string): Promise<Record<string, unknown> | undefined> {
  if (!usableId(id)) return undefined;
  try {
    const body = await http.call({
      method: 'GET',
      path: `/Users/${idSegment(id)}`,
      what: 'a member of a group',
    });
    return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : undefined;
  } catch (err) {
    if (err instanceof ScimTargetError && err.status === 404) return undefined;
    throw err;
  }
}

function record(names: Map<string, string>, user: Record<string, unknown>): void {
  const id = idOf(user);
  if (id !== undefined && typeof user.userName === 'string' && user.userName !== '')
    names.set(id, user.userName);
}

/** Runs `work` on every item, at most CONCURRENCY at once; the first failure is thrown once all have settled. */
async function inTurns<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  const results = await Promise.allSettled(
    Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker),
  );
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';

/** Creates an active user named `account` (its e-mail too when the account is one): the new user's id. */
export async function createUser(http: ScimHttp, account: string): Promise<string> {
  const what = `a user named "${short(account)}"`;
  const email = /^[^@\s]+@[^@\s]+$/.test(account) ? { emails: [{ value: account, primary: true }] } : {};
  const body = await http.call({
    method: 'POST',
    path: '/Users',
    body: { schemas: [USER_SCHEMA], userName: account, active: true, ...email },
    what: `creating ${what}`,
  });
  const id = body && typeof body === 'object' ? idOf(body as Record<string, unknown>) : undefined;
  if (id === undefined)
    throw new TargetError(`the SCIM service at ${http.host} created ${what} without an id`, false);
  return id;
}
