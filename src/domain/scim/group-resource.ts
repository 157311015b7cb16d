import { GROUP_SCHEMA_ID } from './attributes.js';
import { ScimError } from './errors.js';

// A Latch group as a SCIM Group (RFC 7643 §4.2) and back. Its members are the identity provider's memberships
// (open-ended grants of source idp); access that Latch gave otherwise (requests, break-glass, on-call) is not
// the provider's and is not listed.

export interface ScimGroupSource {
  id: string;
  name: string;
  externalId: string | null;
  createdAt: string;
  updatedAt: string;
  members: { userId: string; name: string }[];
}

export interface ScimGroupInput {
  displayName: string;
  externalId: string | null;
  /** User ids, each once. */
  memberIds: string[];
}

const MAX_NAME = 200;
export const MAX_GROUP_MEMBERS = 100_000;

export function toScimGroup(
  g: ScimGroupSource,
  location: string,
  userLocation: (id: string) => string,
): Record<string, unknown> {
  return {
    schemas: [GROUP_SCHEMA_ID],
    id: g.id,
    ...(g.externalId !== null ? { externalId: g.externalId } : {}),
    displayName: g.name,
    members: g.members.map((m) => ({
      value: m.userId,
      display: m.name,
      type: 'User',
      $ref: userLocation(m.userId),
    })),
    meta: {
      resourceType: 'Group',
      created: g.createdAt,
      lastModified: g.updatedAt,
      location,
      version: `W/"${Date.parse(g.updatedAt).toString(36)}"`,
    },
  };
}

export function readScimGroup(doc: unknown): ScimGroupInput {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw new ScimError(400, 'the body must be a SCIM Group object', 'invalidSyntax');
  const d = doc as Record<string, unknown>;
  if (typeof d.displayName !== 'string' || !d.displayName.trim())
    throw new ScimError(400, 'displayName is required', 'invalidValue');
  const displayName = d.displayName.trim();
  if (displayName.length > MAX_NAME)
    throw new ScimError(400, `displayName is longer than ${MAX_NAME} characters`, 'invalidValue');
  if (d.externalId !== undefined && d.externalId !== null && typeof d.externalId !== 'string')
    throw new ScimError(400, 'externalId must be a string', 'invalidValue');
  const members = d.members ?? [];
  if (!Array.isArray(members)) throw new ScimError(400, 'members must be an array', 'invalidValue');
  if (members.length > MAX_GROUP_MEMBERS)
    throw new ScimError(400, `a group holds at most ${MAX_GROUP_MEMBERS} members`, 'invalidValue');
  const ids = new Set<string>();
  for (const m of members) {
    const value = (m as { value?: unknown } | null)?.value;
    if (typeof value !== 'string' || !value || value.length > 100)
      throw new ScimError(400, 'every member needs a value: the id of a user', 'invalidValue');
    const type = (m as { type?: unknown }).type;
    if (type !== undefined && type !== null && String(type).toLowerCase() !== 'user')
      throw new ScimError(
        400,
        'members must be users; nest groups in Latch instead (a group as an asset of another)',
        'invalidValue',
      );
    ids.add(value);
  }
  const externalId = typeof d.externalId === 'string' ? d.externalId.trim() || null : null;
  return { displayName, externalId, memberIds: [...ids] };
}
