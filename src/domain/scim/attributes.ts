// Attribute paths resolved against the schemas Latch serves (schema-definitions.ts). Attribute names are
// case-insensitive (RFC 7643 §2.1); resolution always yields the canonical spelling, which is what resources as
// served use as keys.

export type ResourceType = 'User' | 'Group';

export interface AttributeDef {
  name: string;
  type: 'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'reference' | 'complex' | 'binary';
  multiValued: boolean;
  required: boolean;
  caseExact: boolean;
  mutability: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
  returned: 'always' | 'never' | 'default' | 'request';
  uniqueness: 'none' | 'server' | 'global';
  description: string;
  subAttributes?: AttributeDef[];
  referenceTypes?: string[];
  canonicalValues?: string[];
}

export interface SchemaDef {
  id: string;
  name: string;
  description: string;
  attributes: AttributeDef[];
}

import {
  COMMON_ATTRIBUTES,
  ENTERPRISE_USER_SCHEMA,
  ENTERPRISE_USER_SCHEMA_ID,
  GROUP_SCHEMA,
  GROUP_SCHEMA_ID,
  SCHEMAS_OF,
  USER_SCHEMA,
  USER_SCHEMA_ID,
} from './schema-definitions.js';

export {
  COMMON_ATTRIBUTES,
  ENTERPRISE_USER_SCHEMA,
  ENTERPRISE_USER_SCHEMA_ID,
  GROUP_SCHEMA,
  GROUP_SCHEMA_ID,
  SCHEMAS_OF,
  USER_SCHEMA,
  USER_SCHEMA_ID,
};

export interface ResolvedAttribute {
  /** The schema holding the attribute: the core schema (common attributes included) or an extension. */
  schema: SchemaDef;
  /** True when the attribute lives under the extension's URN key of the resource rather than at its root. */
  extension: boolean;
  /** The top-level attribute. */
  attribute: AttributeDef;
  /** The sub-attribute, when the path names one. */
  sub?: AttributeDef;
  /** Canonical spelling: "userName", "emails.value", "urn:…:enterprise:2.0:User:manager.value". */
  canonical: string;
}

const byLowerName = (defs: AttributeDef[]): Map<string, AttributeDef> =>
  new Map(defs.map((d) => [d.name.toLowerCase(), d]));

const attributeIndex = new Map<SchemaDef, Map<string, AttributeDef>>();
const subIndex = new Map<AttributeDef, Map<string, AttributeDef>>();
for (const type of ['User', 'Group'] as const) {
  const { core, extensions } = SCHEMAS_OF[type];
  attributeIndex.set(core, byLowerName([...COMMON_ATTRIBUTES, ...core.attributes]));
  for (const ext of extensions) attributeIndex.set(ext, byLowerName(ext.attributes));
}
for (const defs of attributeIndex.values()) {
  for (const def of defs.values()) if (def.subAttributes) subIndex.set(def, byLowerName(def.subAttributes));
}

/** The sub-attribute of a complex attribute by case-insensitive name. */
export function subAttributeOf(parent: AttributeDef, name: string): AttributeDef | undefined {
  let index = subIndex.get(parent);
  if (!index) {
    index = byLowerName(parent.subAttributes ?? []);
    subIndex.set(parent, index);
  }
  return index.get(name.toLowerCase());
}

/** The extension schema a path names as a whole (e.g. the enterprise URN itself), if any. */
export function extensionAt(type: ResourceType, path: string): SchemaDef | undefined {
  const lower = path.toLowerCase();
  return SCHEMAS_OF[type].extensions.find((ext) => ext.id.toLowerCase() === lower);
}

/** Splits a URN-prefixed path into its schema and the attribute path within it. */
function splitSchema(
  type: ResourceType,
  path: string,
): { schema: SchemaDef; extension: boolean; rest: string } | undefined {
  const { core, extensions } = SCHEMAS_OF[type];
  const lower = path.toLowerCase();
  for (const [schema, extension] of [[core, false] as const, ...extensions.map((e) => [e, true] as const)]) {
    const prefix = schema.id.toLowerCase() + ':';
    if (lower.startsWith(prefix)) return { schema, extension, rest: path.slice(prefix.length) };
  }
  // An unknown schema URN names nothing we serve.
  if (lower.startsWith('urn:')) return undefined;
  return { schema: core, extension: false, rest: path };
}

/** Resolves a path ("userName", "name.givenName", "urn:…:enterprise:2.0:User:manager.value", …). */
export function resolveAttribute(type: ResourceType, path: string): ResolvedAttribute | undefined {
  const split = splitSchema(type, path);
  if (!split) return undefined;
  const parts = split.rest.split('.');
  if (parts.length > 2) return undefined;
  const attribute = attributeIndex.get(split.schema)?.get((parts[0] ?? '').toLowerCase());
  if (!attribute) return undefined;
  const { schema, extension } = split;
  const prefix = extension ? `${schema.id}:` : '';
  if (parts.length === 1) return { schema, extension, attribute, canonical: prefix + attribute.name };
  const sub = subAttributeOf(attribute, parts[1] ?? '');
  if (!sub) return undefined;
  return { schema, extension, attribute, sub, canonical: `${prefix}${attribute.name}.${sub.name}` };
}

/** Resolves a path like "userName", "name.givenName", "emails.value", "urn:...:enterprise:2.0:User:department",
 * "urn:...:enterprise:2.0:User:manager.value", "meta.lastModified", case-insensitively; undefined when unknown.
 * Common attributes id, externalId, meta (created, lastModified, resourceType, location, version) included. */
export function attributeAt(type: ResourceType, path: string): AttributeDef | undefined {
  const resolved = resolveAttribute(type, path);
  return resolved ? (resolved.sub ?? resolved.attribute) : undefined;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Sets a key, letting the canonical spelling win over any other spelling of the same attribute. */
function put(out: Record<string, unknown>, name: string, value: unknown, exact: boolean): void {
  if (exact || !Object.hasOwn(out, name)) out[name] = value;
}

function canonicalValue(def: AttributeDef, value: unknown): unknown {
  if (def.type !== 'complex') return value;
  const one = (el: unknown): unknown => {
    if (!isPlainObject(el)) return el;
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(el)) {
      const sub = subAttributeOf(def, key);
      if (sub) put(out, sub.name, v, key === sub.name);
      else put(out, key, v, true);
    }
    return out;
  };
  return Array.isArray(value) ? value.map(one) : one(value);
}

function canonicalContainer(src: Record<string, unknown>, index: Map<string, AttributeDef> | undefined) {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(src)) {
    const def = index?.get(key.toLowerCase());
    if (def) put(out, def.name, canonicalValue(def, v), key === def.name);
    else if (!Object.hasOwn(out, key)) out[key] = v;
  }
  return out;
}

/** A copy of a resource whose attribute names (top level, extension objects, sub-attributes) are spelled
 * canonically, as filtering, projection and PATCH expect; keys unknown to the schemas are kept as they are.
 * Where one attribute appears under two spellings, the canonical one wins. Values are shared, not copied. */
export function canonicalize(resource: Record<string, unknown>, type: ResourceType): Record<string, unknown> {
  const { core } = SCHEMAS_OF[type];
  const out: Record<string, unknown> = {};
  const coreIndex = attributeIndex.get(core);
  for (const [key, v] of Object.entries(resource)) {
    const ext = extensionAt(type, key);
    if (ext) {
      put(out, ext.id, isPlainObject(v) ? canonicalContainer(v, attributeIndex.get(ext)) : v, key === ext.id);
      continue;
    }
    const def = coreIndex?.get(key.toLowerCase());
    if (def) put(out, def.name, canonicalValue(def, v), key === def.name);
    else if (!Object.hasOwn(out, key)) out[key] = v;
  }
  return out;
}
