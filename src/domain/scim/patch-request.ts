// A SCIM PATCH request (RFC 7644 §3.5.2): its body validated and its paths parsed, before anything is applied
// (patch.ts). Operation names are case-insensitive (Entra ID sends "Replace").

import { badRequest, ScimError } from './errors.js';
import { isObject, parseFilter, type Filter } from './filter.js';

export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const MAX_PATCH_OPERATIONS = 1000;

export interface PatchOperation {
  op: 'add' | 'replace' | 'remove';
  path?: string;
  value?: unknown;
}

/** A parsed PATCH path: `attr`, `attr.sub`, `urn:…:attr[.sub]`, `attr[filter]` or `attr[filter].sub`. */
export interface PatchPath {
  /** The attribute path before any value filter, possibly URN-prefixed and with a sub-attribute. */
  attribute: string;
  filter?: Filter;
  /** The sub-attribute after a value filter (`emails[type eq "work"].value` → "value"). */
  sub?: string;
}

export const invalidPath = (detail: string) => badRequest('invalidPath', detail);
export const invalidValue = (detail: string) => badRequest('invalidValue', detail);
export const invalidSyntax = (detail: string) => badRequest('invalidSyntax', detail);
export const noTarget = (detail: string) => badRequest('noTarget', detail);
export const mutability = (detail: string) => badRequest('mutability', detail);

const NAME = /^[A-Za-z$][\w$-]*$/;
const MAX_PATH_LENGTH = 4096 + 512;

function validAttributePath(text: string): boolean {
  let rest = text;
  if (/^urn:/i.test(text)) {
    const colon = text.lastIndexOf(':');
    if (colon <= 4) return false;
    rest = text.slice(colon + 1);
  }
  const parts = rest.split('.');
  return parts.length <= 2 && parts.every((p) => NAME.test(p));
}

/** Parses a PATCH path; a malformed one (or one whose filter is malformed) is ScimError(400, 'invalidPath'). */
export function parsePatchPath(path: string): PatchPath {
  const text = path.trim();
  if (text === '' || text.length > MAX_PATH_LENGTH)
    throw invalidPath(`"${path.slice(0, 100)}" is not a valid path.`);
  const open = text.indexOf('[');
  if (open < 0) {
    if (!validAttributePath(text)) throw invalidPath(`"${text}" is not a valid path.`);
    return { attribute: text };
  }
  const attribute = text.slice(0, open);
  const close = closingBracket(text, open);
  if (
    close < 0 ||
    !validAttributePath(attribute) ||
    attribute.slice(attribute.lastIndexOf(':') + 1).includes('.')
  ) {
    throw invalidPath(`"${text}" is not a valid path.`);
  }
  const tail = text.slice(close + 1);
  let sub: string | undefined;
  if (tail !== '') {
    if (!tail.startsWith('.') || !NAME.test(tail.slice(1)))
      throw invalidPath(`"${text}" is not a valid path.`);
    sub = tail.slice(1);
  }
  let filter: Filter;
  try {
    filter = parseFilter(text.slice(open + 1, close));
  } catch (err) {
    if (err instanceof ScimError) throw invalidPath(`The filter in "${text}" is not valid: ${err.detail}`);
    throw err;
  }
  return sub === undefined ? { attribute, filter } : { attribute, filter, sub };
}

/** The index of the `]` closing the `[` at `open`, skipping quoted strings; -1 when there is none. */
function closingBracket(text: string, open: number): number {
  let quoted = false;
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '[') return -1;
    else if (c === ']') return i;
  }
  return -1;
}

/** A member of a JSON object by case-insensitive name (SCIM attribute names are). */
export function member(obj: Record<string, unknown>, name: string): unknown {
  if (name in obj) return obj[name];
  const key = Object.keys(obj).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : obj[key];
}

/** Validates a PATCH body: schemas contains PATCH_OP_SCHEMA; `Operations` is a non-empty array (≤ 1000 ops);
 * `op` case-insensitive ("Add", "Replace", "Remove" as Entra ID sends); remove needs a path (except the Okta/
 * Entra members-by-value shape below); add/replace need a value. ScimError(400, 'invalidSyntax'|'invalidPath').
 * A remove with neither path nor value object is noTarget, as RFC 7644 §3.5.2.2 specifies. */
export function parsePatchRequest(body: unknown): PatchOperation[] {
  if (!isObject(body)) throw invalidSyntax('The PATCH body must be a JSON object.');
  const schemas = body.schemas;
  const want = PATCH_OP_SCHEMA.toLowerCase();
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === want)) {
    throw invalidSyntax(`The PATCH body's "schemas" must contain "${PATCH_OP_SCHEMA}".`);
  }
  const raw = member(body, 'Operations');
  if (!Array.isArray(raw) || raw.length === 0) throw invalidSyntax('"Operations" must be a non-empty array.');
  if (raw.length > MAX_PATCH_OPERATIONS) {
    throw invalidSyntax(`A PATCH request holds at most ${MAX_PATCH_OPERATIONS} operations.`);
  }
  return raw.map((item: unknown, i): PatchOperation => {
    const where = `Operation ${i + 1}`;
    if (!isObject(item)) throw invalidSyntax(`${where} must be an object.`);
    const opText = member(item, 'op');
    const op = typeof opText === 'string' ? opText.toLowerCase() : undefined;
    if (op !== 'add' && op !== 'replace' && op !== 'remove') {
      throw invalidSyntax(`${where}: "op" must be "add", "replace" or "remove".`);
    }
    const rawPath = member(item, 'path');
    if (rawPath !== undefined && rawPath !== null && typeof rawPath !== 'string') {
      throw invalidPath(`${where}: "path" must be a string.`);
    }
    const path = typeof rawPath === 'string' && rawPath.trim() !== '' ? rawPath.trim() : undefined;
    if (path !== undefined) parsePatchPath(path);
    const value = member(item, 'value');
    if (op !== 'remove' && value === undefined) throw invalidSyntax(`${where}: "${op}" needs a "value".`);
    if (op === 'remove' && path === undefined && !isObject(value)) {
      throw noTarget(`${where}: "remove" needs a "path".`);
    }
    const out: PatchOperation = { op };
    if (path !== undefined) out.path = path;
    if (value !== undefined) out.value = value;
    return out;
  });
}

/** Applies operations in order to a resource as served, returning a new object (the input is not mutated).
 * Paths: `attr`, `attr.sub`, URN-prefixed (`urn:...:enterprise:2.0:User:department`,
 * `urn:...:enterprise:2.0:User:manager.value`), `attr[filter]`, `attr[filter].sub`, attribute names
 * case-insensitive. Without a path the value is an object whose keys are attributes or paths and is merged.
 * Errors: readOnly attributes changed → 'mutability'; unknown attribute or malformed path → 'invalidPath';
 * wrong value type or a required attribute removed → 'invalidValue'; a filter with no match → 'noTarget'
 * (see the choices at the top of this file). All ScimError(400). */
