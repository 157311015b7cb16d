// SCIM PATCH (RFC 7644 §3.5.2): validation of the request and its application to a resource as served.
// Application works on a copy and either completes every operation or throws, so a failed PATCH changes
// nothing. Attribute names are matched case-insensitively and written in their canonical spelling; the
// resource's own keys are first brought to that spelling (canonicalize), so no attribute ends up twice.
//
// Choices where the RFC leaves room, or where the big identity providers need leniency:
// - A remove whose filter matches nothing is noTarget (RFC 7644 §3.12), except on Group `members`: removing a
//   member who is already gone is a no-op, so a provider's retried removal does not fail.
// - A replace whose filter matches nothing is noTarget (RFC 7644 §3.5.2.3). An add whose filter matches
//   nothing creates the element from the filter's `eq` terms (`emails[type eq "work"].value` adds a work
//   e-mail, as Entra ID expects); a filter with other operators is noTarget.
// - Removing values by list (`path: "members", value: [{value: "id"}]`, as Okta and Entra ID send) removes
//   the elements with those `value`s; values not present are ignored.
// - Read-only attributes may be "written" with the value they already have (Okta echoes `id`); any actual
//   change is a mutability error. Read-only sub-attributes inside a value (manager.displayName) are ignored.
// - A complex single value (manager) may be given as its bare `value` ("usr_1") or a one-element list.
// - Setting `primary` true on an element of a multi-valued attribute clears it on the others.

import {
  canonicalize,
  extensionAt,
  resolveAttribute,
  SCHEMAS_OF,
  subAttributeOf,
  type AttributeDef,
  type ResolvedAttribute,
  type ResourceType,
} from './attributes.js';
import { ScimError } from './errors.js';
import { compileValueFilter, isObject, type Filter } from './filter.js';
import {
  invalidPath,
  invalidValue,
  mutability,
  noTarget,
  parsePatchPath,
  type PatchOperation,
  type PatchPath,
} from './patch-request.js';
import {
  elementKey,
  isEmpty,
  mergeInto,
  normalizeComplex,
  normalizeElement,
  normalizePrimary,
  normalizeSimple,
  removalKey,
  setSub,
  unsetSub,
} from './patch-values.js';

export {
  MAX_PATCH_OPERATIONS,
  PATCH_OP_SCHEMA,
  parsePatchPath,
  parsePatchRequest,
  type PatchOperation,
  type PatchPath,
} from './patch-request.js';

export function applyPatch(
  resource: Record<string, unknown>,
  ops: PatchOperation[],
  type: ResourceType,
): Record<string, unknown> {
  const out = canonicalize(structuredClone(resource), type);
  const hadExtension = new Set(
    SCHEMAS_OF[type].extensions.filter((e) => isObject(out[e.id])).map((e) => e.id),
  );
  ops.forEach((op, i) => {
    try {
      applyOperation(out, op, type);
    } catch (err) {
      if (!(err instanceof ScimError)) throw err;
      const label = op.path === undefined ? op.op : `${op.op} ${op.path}`;
      throw new ScimError(err.status, `Operation ${i + 1} (${label}): ${err.detail}`, err.scimType);
    }
  });
  syncExtensionSchemas(out, type, hadExtension);
  return out;
}

type Op = PatchOperation['op'];
type Obj = Record<string, unknown>;

function applyOperation(res: Obj, op: PatchOperation, type: ResourceType): void {
  if (op.path !== undefined) {
    applyAt(res, op.op, parsePatchPath(op.path), op.value, type);
    return;
  }
  if (!isObject(op.value)) {
    if (op.op === 'remove') throw noTarget('"remove" needs a "path".');
    throw invalidValue('Without a path, the value must be an object of attributes.');
  }
  applyPathless(res, op.op, op.value, type);
}

/** Each key of a pathless value is an attribute, a path ("name.givenName") or a schema URN. */
function applyPathless(res: Obj, op: Op, value: Obj, type: ResourceType): void {
  for (const [key, v] of Object.entries(value)) {
    // `schemas` follows the data (syncExtensionSchemas); the client's copy is not an instruction.
    if (key.toLowerCase() === 'schemas') continue;
    if (key.toLowerCase() === SCHEMAS_OF[type].core.id.toLowerCase()) {
      if (!isObject(v)) throw invalidValue(`"${key}" takes an object of attributes.`);
      applyPathless(res, op, v, type);
      continue;
    }
    if (op === 'remove' && !Array.isArray(v)) {
      throw noTarget(`Without a path, "remove" takes lists of values to remove; "${key}" is not one.`);
    }
    applyAt(res, op, pathOfKey(key), v, type);
  }
}

function pathOfKey(key: string): PatchPath {
  try {
    return parsePatchPath(key);
  } catch {
    throw invalidPath(`"${key}" is not an attribute.`);
  }
}

function applyAt(res: Obj, op: Op, path: PatchPath, value: unknown, type: ResourceType): void {
  const extension = extensionAt(type, path.attribute);
  if (extension) {
    if (path.filter || path.sub)
      throw invalidPath(`"${path.attribute}" is a schema, not a multi-valued attribute.`);
    if (op === 'remove' || value === null) {
      delete res[extension.id];
      return;
    }
    if (!isObject(value)) throw invalidValue(`"${extension.id}" takes an object of its attributes.`);
    for (const [key, v] of Object.entries(value))
      applyAt(res, op, pathOfKey(`${extension.id}:${key}`), v, type);
    return;
  }
  const resolved = resolveAttribute(type, path.attribute);
  if (!resolved) throw invalidPath(`"${path.attribute}" is not an attribute of ${type}.`);
  const { attribute } = resolved;
  let sub = resolved.sub;
  if (path.filter) {
    if (sub || attribute.type !== 'complex' || !attribute.multiValued) {
      throw invalidPath(
        `"${resolved.canonical}" is not a multi-valued complex attribute; it takes no value filter.`,
      );
    }
    if (path.sub !== undefined) {
      sub = subAttributeOf(attribute, path.sub);
      if (!sub) throw invalidPath(`"${attribute.name}" has no sub-attribute "${path.sub}".`);
    }
  }
  const container = containerOf(res, resolved, op !== 'remove');
  if (!container) return;
  const guarded = attribute.mutability === 'readOnly' || (sub?.mutability === 'readOnly' && !path.filter);
  const before = guarded ? JSON.stringify(container[attribute.name]) : undefined;

  if (path.filter) applyFiltered(container, op, attribute, path.filter, sub, value, type);
  else if (sub) applySub(container, op, attribute, sub, value);
  else if (attribute.multiValued) applyMulti(container, op, attribute, value);
  else applySingle(container, op, attribute, value);

  if (guarded && JSON.stringify(container[attribute.name]) !== before) {
    throw mutability(`"${resolved.canonical}" is read-only.`);
  }
  if (attribute.required && isEmpty(container[attribute.name])) {
    throw invalidValue(`"${resolved.canonical}" is required; it cannot be removed or emptied.`);
  }
}

/** The object holding the attribute: the resource itself, or its extension object (created for writes). */
function containerOf(res: Obj, resolved: ResolvedAttribute, create: boolean): Obj | undefined {
  if (!resolved.extension) return res;
  const id = resolved.schema.id;
  const current = res[id];
  if (isObject(current)) return current;
  if (!create) return undefined;
  const made: Obj = {};
  res[id] = made;
  return made;
}

function setOrDelete(container: Obj, name: string, list: unknown[]): void {
  if (list.length === 0) delete container[name];
  else container[name] = list;
}

function elementsOf(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

// --- single-valued attributes ------------------------------------------------------------------------------

function applySingle(container: Obj, op: Op, attr: AttributeDef, value: unknown): void {
  if (op === 'remove' || value === null) {
    delete container[attr.name];
    return;
  }
  if (attr.type !== 'complex') {
    container[attr.name] = normalizeSimple(attr, value, attr.name);
    return;
  }
  // RFC 7644 §3.5.2.1/§3.5.2.3: the given sub-attributes replace or add; others are left unchanged, unless
  // the value identifying the complex value changes (a new manager brings no stale $ref or displayName).
  const incoming = normalizeComplex(attr, value, attr.name);
  const existing = container[attr.name];
  let current: Obj = isObject(existing) ? existing : {};
  if (incoming.value !== undefined && current.value !== undefined && incoming.value !== current.value)
    current = {};
  mergeInto(attr, current, incoming);
  if (Object.keys(current).length === 0) delete container[attr.name];
  else container[attr.name] = current;
}

// --- attr.sub without a filter ------------------------------------------------------------------------------

function applySub(container: Obj, op: Op, attr: AttributeDef, sub: AttributeDef, value: unknown): void {
  const label = `${attr.name}.${sub.name}`;
  if (!attr.multiValued) {
    const existing = container[attr.name];
    if (op === 'remove' || value === null) {
      if (!isObject(existing)) return;
      unsetSub(existing, sub, label);
      if (Object.keys(existing).length === 0) delete container[attr.name];
      return;
    }
    const current: Obj = isObject(existing) ? existing : {};
    setSub(current, sub, normalizeSimple(sub, value, label), label);
    container[attr.name] = current;
    return;
  }
  // Without a filter the path names the sub-attribute of every element.
  const list = elementsOf(container[attr.name]).filter(isObject);
  if (op === 'remove' || value === null) {
    for (const el of list) unsetSub(el, sub, label);
    setOrDelete(
      container,
      attr.name,
      list.filter((el) => Object.keys(el).length > 0),
    );
    return;
  }
  const v = normalizeSimple(sub, value, label);
  if (list.length === 0) list.push({});
  for (const el of list) setSub(el, sub, v, label);
  container[attr.name] = list;
  normalizePrimary(attr, list, list);
}

// --- multi-valued attributes without a filter -----------------------------------------------------------------

function applyMulti(container: Obj, op: Op, attr: AttributeDef, value: unknown): void {
  const current = elementsOf(container[attr.name]);
  if (op === 'remove') {
    if (value === undefined || value === null) {
      delete container[attr.name];
      return;
    }
    // The shape Okta and Entra ID send: the values to remove, identified by `value`.
    const gone = new Set(elementsOf(value).map((v) => removalKey(attr, v)));
    setOrDelete(
      container,
      attr.name,
      current.filter((el) => !gone.has(elementKey(attr, el))),
    );
    return;
  }
  if (value === null) {
    delete container[attr.name];
    return;
  }
  const incoming = elementsOf(value).map((v) => normalizeElement(attr, v, attr.name));
  const list = op === 'replace' ? [] : [...current];
  // Keys of the values present: adding one already there changes nothing (RFC 7644 §3.5.2.1), and a Set
  // keeps adding n values to m linear.
  const seen = new Set(list.map((el) => elementKey(attr, el)));
  const added: unknown[] = [];
  for (const el of incoming) {
    const key = elementKey(attr, el);
    if (seen.has(key)) continue;
    seen.add(key);
    list.push(el);
    added.push(el);
  }
  setOrDelete(container, attr.name, list);
  normalizePrimary(attr, list, added);
}

// --- multi-valued attributes with a value filter ---------------------------------------------------------------

function applyFiltered(
  container: Obj,
  op: Op,
  attr: AttributeDef,
  filter: Filter,
  sub: AttributeDef | undefined,
  value: unknown,
  type: ResourceType,
): void {
  let matches: (el: Obj) => boolean;
  try {
    matches = compileValueFilter(filter, type, attr);
  } catch (err) {
    if (err instanceof ScimError)
      throw invalidPath(`The filter on "${attr.name}" is not valid: ${err.detail}`);
    throw err;
  }
  const list = elementsOf(container[attr.name]);
  const matched = list.filter((el): el is Obj => isObject(el) && matches(el));
  const label = sub ? `${attr.name}.${sub.name}` : attr.name;

  if (op === 'remove' || (value === null && !sub)) {
    if (matched.length === 0) {
      if (type === 'Group' && attr.name === 'members') return;
      throw noTarget(`No value of "${attr.name}" matches the filter.`);
    }
    if (sub) {
      for (const el of matched) unsetSub(el, sub, label);
      setOrDelete(
        container,
        attr.name,
        list.filter((el) => !isObject(el) || Object.keys(el).length > 0),
      );
    } else {
      const gone = new Set<unknown>(matched);
      setOrDelete(
        container,
        attr.name,
        list.filter((el) => !gone.has(el)),
      );
    }
    return;
  }

  if (matched.length === 0) {
    const seed = op === 'add' ? seedOf(filter, attr) : undefined;
    if (!seed) throw noTarget(`No value of "${attr.name}" matches the filter.`);
    const el = normalizeComplex(attr, seed, attr.name);
    if (sub) setSub(el, sub, value === null ? null : normalizeSimple(sub, value, label), label);
    else mergeInto(attr, el, normalizeComplex(attr, value, attr.name));
    list.push(el);
    container[attr.name] = list;
    normalizePrimary(attr, list, [el]);
    return;
  }
  for (const el of matched) {
    if (sub) {
      if (value === null) unsetSub(el, sub, label);
      else setSub(el, sub, normalizeSimple(sub, value, label), label);
    } else {
      mergeInto(attr, el, normalizeComplex(attr, value, attr.name));
    }
  }
  container[attr.name] = list;
  normalizePrimary(attr, list, matched);
}

/** The element a filter of `eq` terms joined by `and` describes; undefined for any other filter. */
function seedOf(filter: Filter, attr: AttributeDef): Obj | undefined {
  if (filter.op === 'eq' && filter.compValue !== null) {
    const sub = subAttributeOf(attr, filter.attrPath);
    return sub ? { [sub.name]: filter.compValue } : undefined;
  }
  if (filter.op === 'and') {
    const out: Obj = {};
    for (const part of filter.filters) {
      const seed = seedOf(part, attr);
      if (!seed) return undefined;
      Object.assign(out, seed);
    }
    return out;
  }
  return undefined;
}

// --- values -------------------------------------------------------------------------------------------------

/** Keeps `schemas` in step with the extension data: listed when present, dropped when a patch emptied it. */
function syncExtensionSchemas(res: Obj, type: ResourceType, hadExtension: Set<string>): void {
  const schemas = Array.isArray(res.schemas) ? (res.schemas as unknown[]) : undefined;
  for (const ext of SCHEMAS_OF[type].extensions) {
    const data = res[ext.id];
    const present = isObject(data) && Object.keys(data).length > 0;
    if (!present && data !== undefined) delete res[ext.id];
    if (!schemas) continue;
    const at = schemas.findIndex((s) => typeof s === 'string' && s.toLowerCase() === ext.id.toLowerCase());
    if (present && at < 0) schemas.push(ext.id);
    if (!present && at >= 0 && hadExtension.has(ext.id)) schemas.splice(at, 1);
  }
}
