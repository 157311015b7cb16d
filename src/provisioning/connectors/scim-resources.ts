import { TargetError } from '../connector.js';

// Reading what a SCIM service provider answers (RFC 7643/7644), defensively: it is remote data, so shapes are
// checked and anything unusable is a TargetError rather than a crash or a silently wrong answer.

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export interface ListPage {
  totalResults: number;
  resources: Record<string, unknown>[];
}

const unusable = (what: string) =>
  new TargetError(`the SCIM service answered ${what} in an unusable shape`, false);

/** A ListResponse (RFC 7644 §3.4.2); `Resources` may be absent when nothing matched. */
export function readList(body: unknown, what: string): ListPage {
  if (!isObject(body)) throw unusable(what);
  const total = body.totalResults;
  const resources = body.Resources ?? [];
  if (typeof total !== 'number' || !Number.isInteger(total) || total < 0 || !Array.isArray(resources))
    throw unusable(what);
  return { totalResults: total, resources: resources.filter(isObject) };
}

/** A resource's id, when it has a usable one. */
export function idOf(resource: Record<string, unknown>): string | undefined {
  const id = resource.id;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/**
 * The user ids in a Group resource. Members of type Group (nested groups) are left out: they are no account,
 * and the connector adds and removes users only.
 */
export function memberIds(group: unknown, what: string): string[] {
  if (!isObject(group)) throw unusable(what);
  const members = group.members ?? [];
  if (!Array.isArray(members)) throw unusable(what);
  const ids = new Set<string>();
  for (const m of members) {
    if (!isObject(m) || typeof m.value !== 'string' || m.value === '') continue;
    if (typeof m.type === 'string' && m.type.toLowerCase() === 'group') continue;
    ids.add(m.value);
  }
  return [...ids];
}

/** ServiceProviderConfig says PATCH is supported (RFC 7643 §5: `patch.supported`). */
export function patchSupported(config: unknown): boolean {
  return isObject(config) && isObject(config.patch) && config.patch.supported === true;
}

/** A filter comparison value: a JSON string (RFC 7644 §3.4.2.2), so `"` and `\` are escaped, as are controls. */
export const filterValue = (value: string): string => JSON.stringify(value);

export const usableId = (id: string) => id !== '' && id !== '.' && id !== '..' && id.length <= 1024;

/**
 * A remote id as one encoded path segment. `.` and `..` are refused: URL resolution would turn them into
 * another endpoint of the service.
 */
export function idSegment(id: string): string {
  if (!usableId(id)) throw new TargetError(`"${short(id)}" is not a usable SCIM id`, false);
  return encodeURIComponent(id);
}

/** Remote or user-given text in a message: one line, short. */
export function short(text: string, max = 80): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  const line = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ');
  return line.length > max ? `${line.slice(0, max)}…` : line;
}
