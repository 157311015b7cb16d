import type { User } from '../users.js';
import { isPlausibleEmail } from '../users.js';
import { canonicalize, ENTERPRISE_USER_SCHEMA_ID, USER_SCHEMA_ID } from './attributes.js';
import { ScimError } from './errors.js';

// A Latch user as a SCIM User (RFC 7643 §4.1) and back. Latch owns id, userName, the primary e-mail, the
// display name, active and externalId; everything else the provider sends (name parts, phone numbers, the
// enterprise extension) is kept as sent and served back, so a read returns what was written.

export interface ScimUserSource {
  user: User;
  userName: string;
  attributes: Record<string, unknown> | null;
  updatedAt: string;
}

/** What Latch takes from a SCIM User document. */
export interface ScimUserInput {
  userName: string;
  email: string;
  name: string;
  active: boolean;
  externalId: string | null;
  /** The rest of the document, kept verbatim (without what Latch owns and without the password). */
  attributes: Record<string, unknown>;
}

/** Attributes Latch holds in its own columns, or never keeps. */
const OWN = new Set(['schemas', 'id', 'meta', 'username', 'active', 'externalid', 'password', 'groups']);
const MAX_ATTRIBUTES_JSON = 64 * 1024;
const MAX_TEXT = 256;

/** "Ada Lovelace" → given "Ada", family "Lovelace"; a single word is a given name only. */
function nameParts(name: string) {
  const words = name.trim().split(/\s+/);
  if (words.length < 2) return { formatted: name, givenName: name };
  return { formatted: name, givenName: words.slice(0, -1).join(' '), familyName: words[words.length - 1] };
}

export function toScimUser(source: ScimUserSource, location: string): Record<string, unknown> {
  const { user } = source;
  const attrs = source.attributes ?? {};
  const emails = Array.isArray(attrs.emails) && attrs.emails.length > 0 ? attrs.emails : undefined;
  const resource: Record<string, unknown> = {
    schemas: [USER_SCHEMA_ID, ...(attrs[ENTERPRISE_USER_SCHEMA_ID] ? [ENTERPRISE_USER_SCHEMA_ID] : [])],
    id: user.id,
    ...(user.externalId !== null ? { externalId: user.externalId } : {}),
    userName: source.userName,
    ...attrs,
    name: attrs.name ?? nameParts(user.name),
    displayName: user.name,
    emails: emails ?? [{ value: user.email, type: 'work', primary: true }],
    active: user.status === 'active',
    meta: {
      resourceType: 'User',
      created: user.createdAt,
      lastModified: source.updatedAt,
      location,
      version: `W/"${Date.parse(source.updatedAt).toString(36)}"`,
    },
  };
  return resource;
}

const text = (v: unknown, field: string, max = MAX_TEXT): string | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new ScimError(400, `${field} must be a string`, 'invalidValue');
  const t = v.trim();
  if (t.length > max) throw new ScimError(400, `${field} is longer than ${max} characters`, 'invalidValue');
  return t || undefined;
};

function booleanOf(v: unknown, field: string): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  // Entra ID sends booleans as strings.
  if (typeof v === 'string' && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
  throw new ScimError(400, `${field} must be a boolean`, 'invalidValue');
}

function primaryEmail(emails: unknown): string | undefined {
  if (emails === undefined || emails === null) return undefined;
  if (!Array.isArray(emails)) throw new ScimError(400, 'emails must be an array', 'invalidValue');
  const values = emails.filter(
    (e): e is { value: string; primary?: unknown } =>
      typeof e === 'object' && e !== null && typeof (e as { value?: unknown }).value === 'string',
  );
  const chosen = values.find((e) => e.primary === true || e.primary === 'true') ?? values[0];
  return chosen && text(chosen.value, 'emails.value');
}

/** Reads a User document as a provider sends it (POST, PUT, or the result of a PATCH). */
export function readScimUser(doc: unknown): ScimUserInput {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw new ScimError(400, 'the body must be a SCIM User object', 'invalidSyntax');
  // Attribute names are case-insensitive: kept in their canonical spelling, so reads and filters agree.
  const d = canonicalize(doc as Record<string, unknown>, 'User');
  const userName = text(d.userName, 'userName');
  if (!userName) throw new ScimError(400, 'userName is required', 'invalidValue');
  const email = primaryEmail(d.emails) ?? (isPlausibleEmail(userName) ? userName : undefined);
  if (!email || !isPlausibleEmail(email))
    throw new ScimError(
      400,
      'a user needs an e-mail address: send emails, or an e-mail address as userName',
      'invalidValue',
    );
  const name = d.name as Record<string, unknown> | undefined;
  if (name !== undefined && name !== null && (typeof name !== 'object' || Array.isArray(name)))
    throw new ScimError(400, 'name must be an object', 'invalidValue');
  const given = text(name?.givenName, 'name.givenName');
  const family = text(name?.familyName, 'name.familyName');
  const displayName =
    text(d.displayName, 'displayName') ??
    text(name?.formatted, 'name.formatted') ??
    ([given, family].filter(Boolean).join(' ') || userName);
  const attributes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(d))
    if (!OWN.has(key.toLowerCase()) && value !== undefined) attributes[key] = value;
  if (JSON.stringify(attributes).length > MAX_ATTRIBUTES_JSON)
    throw new ScimError(400, 'the user carries more than 64 KB of attributes', 'invalidValue');
  return {
    userName,
    email,
    name: displayName,
    active: booleanOf(d.active, 'active') ?? true,
    externalId: text(d.externalId, 'externalId') ?? null,
    attributes,
  };
}
