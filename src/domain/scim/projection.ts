// Which attributes a response carries (RFC 7644 §3.4.2.5 and §3.9). By default those returned "always" or
// "default"; `attributes` narrows that to the ones named (plus "always"); `excludedAttributes` removes the ones
// named (never an "always" one). "never" attributes (password) are never returned, and "request" ones only
// when named in `attributes`. Names unknown to the schema select nothing and are ignored.

import {
  extensionAt,
  resolveAttribute,
  subAttributeOf,
  type AttributeDef,
  type ResourceType,
  type SchemaDef,
} from './attributes.js';
import { badRequest } from './errors.js';
import { isObject } from './filter.js';

export const MAX_ATTRIBUTE_LIST = 100;

const NAME = /^[A-Za-z$][\w$-]*$/;

function wellFormed(name: string): boolean {
  let rest = name;
  if (/^urn:/i.test(name)) {
    const colon = name.lastIndexOf(':');
    if (colon <= 4 || /[\s[\]"(),]/.test(name)) return false;
    rest = name.slice(colon + 1);
  }
  const parts = rest.split('.');
  return parts.length <= 2 && parts.every((p) => NAME.test(p));
}

/** Parses a comma-separated `attributes` or `excludedAttributes` value (≤ 100 entries); undefined when absent
 * or blank. A malformed name is ScimError(400, 'invalidSyntax'). */
export function parseAttributeList(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (names.length === 0) return undefined;
  if (names.length > MAX_ATTRIBUTE_LIST) {
    throw badRequest('invalidSyntax', `At most ${MAX_ATTRIBUTE_LIST} attribute names may be listed.`);
  }
  for (const name of names) {
    if (!wellFormed(name))
      throw badRequest('invalidSyntax', `"${name.slice(0, 100)}" is not an attribute name.`);
  }
  return names;
}

type Mode = 'default' | 'include' | 'exclude';
/** Per attribute: the whole of it, or some of its sub-attributes. */
type Pick = 'all' | Set<string>;

interface Selection {
  /** Keyed by container ('' for the resource root, else the extension URN), then canonical attribute name. */
  attributes: Map<string, Map<string, Pick>>;
  /** Extensions named as a whole. */
  extensions: Set<string>;
}

function selectionOf(names: string[], type: ResourceType): Selection {
  const sel: Selection = { attributes: new Map(), extensions: new Set() };
  for (const name of names) {
    const ext = extensionAt(type, name);
    if (ext) {
      sel.extensions.add(ext.id);
      continue;
    }
    const resolved = resolveAttribute(type, name);
    if (!resolved) continue;
    const key = resolved.extension ? resolved.schema.id : '';
    let picks = sel.attributes.get(key);
    if (!picks) {
      picks = new Map();
      sel.attributes.set(key, picks);
    }
    const current = picks.get(resolved.attribute.name);
    if (!resolved.sub) picks.set(resolved.attribute.name, 'all');
    else if (current === undefined) picks.set(resolved.attribute.name, new Set([resolved.sub.name]));
    else if (current !== 'all') current.add(resolved.sub.name);
  }
  return sel;
}

/** RFC 7644 §3.4.2.5 / §3.9: keeps only `attributes` (plus those returned always: id, schemas) or drops
 * `excludedAttributes`; both given → ScimError(400,'invalidSyntax'); paths may be sub-attributes or
 * URN-prefixed (a bare extension URN names the whole extension); `never` attributes (password) are never
 * returned. Returns a new object; the input is not mutated. */
export function project(
  resource: Record<string, unknown>,
  opts: { attributes?: string[] | undefined; excludedAttributes?: string[] | undefined },
  type: ResourceType,
): Record<string, unknown> {
  const attributes = opts.attributes?.length ? opts.attributes : undefined;
  const excluded = opts.excludedAttributes?.length ? opts.excludedAttributes : undefined;
  if (attributes && excluded) {
    throw badRequest('invalidSyntax', '"attributes" and "excludedAttributes" cannot be used together.');
  }
  const mode: Mode = attributes ? 'include' : excluded ? 'exclude' : 'default';
  const sel = selectionOf(attributes ?? excluded ?? [], type);
  const out = projectContainer(resource, undefined, mode, sel, type);
  for (const [key, value] of Object.entries(resource)) {
    const ext = extensionAt(type, key);
    if (!ext || !isObject(value)) continue;
    const whole = sel.extensions.has(ext.id);
    if (mode === 'exclude' && whole) continue;
    const projected = projectContainer(value, ext, mode === 'include' && whole ? 'default' : mode, sel, type);
    if (Object.keys(projected).length > 0) out[key] = projected;
  }
  return out;
}

function projectContainer(
  src: Record<string, unknown>,
  ext: SchemaDef | undefined,
  mode: Mode,
  sel: Selection,
  type: ResourceType,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const picks = sel.attributes.get(ext?.id ?? '');
  for (const [key, value] of Object.entries(src)) {
    if (!ext && extensionAt(type, key)) continue;
    const resolved = resolveAttribute(type, ext ? `${ext.id}:${key}` : key);
    if (!resolved || resolved.sub) {
      // Not an attribute of the schema: nothing to select it by, so only an explicit selection drops it.
      if (mode !== 'include') out[key] = structuredClone(value);
      continue;
    }
    const def = resolved.attribute;
    const pick = picks?.get(def.name);
    let kept: unknown;
    if (def.returned === 'never') kept = undefined;
    else if (def.returned === 'always') kept = keepSubs(def, value, { all: true });
    else if (mode === 'include')
      kept =
        pick === undefined
          ? undefined
          : keepSubs(def, value, pick === 'all' ? { all: true, named: true } : { only: pick });
    else if (def.returned === 'request' || pick === 'all') kept = undefined;
    else kept = keepSubs(def, value, pick === undefined ? { all: true } : { without: pick });
    if (kept !== undefined) out[key] = kept;
  }
  return out;
}

type SubRule = { all: true; named?: boolean } | { only: Set<string> } | { without: Set<string> };

/** A copy of an attribute's value keeping the sub-attributes the rule allows; undefined when nothing is left. */
function keepSubs(def: AttributeDef, value: unknown, rule: SubRule): unknown {
  if (def.type !== 'complex') return structuredClone(value);
  const one = (el: unknown): unknown => {
    if (!isObject(el)) return structuredClone(el);
    const kept: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(el)) {
      const sub = subAttributeOf(def, k);
      if (sub?.returned === 'never') continue;
      let keep: boolean;
      if (!sub || sub.returned === 'always') keep = true;
      else if ('only' in rule) keep = rule.only.has(sub.name);
      else if ('without' in rule) keep = !rule.without.has(sub.name) && sub.returned !== 'request';
      else keep = sub.returned !== 'request' || rule.named === true;
      if (keep) kept[k] = structuredClone(v);
    }
    return Object.keys(kept).length > 0 ? kept : undefined;
  };
  if (Array.isArray(value)) {
    if (value.length === 0) return [];
    const list = value.map(one).filter((el) => el !== undefined);
    return list.length > 0 ? list : undefined;
  }
  return one(value);
}
