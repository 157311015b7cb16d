// Values in a SCIM PATCH: each checked against its attribute's type and brought to canonical sub-attribute names,
// and the identity of an element of a multi-valued attribute (its `value`, under the attribute's caseExact).

import { subAttributeOf, type AttributeDef } from './attributes.js';
import { isObject, parseDateTime } from './filter.js';
import { invalidValue, member, mutability } from './patch-request.js';

type Obj = Record<string, unknown>;

/** The key of a value to remove: only its `value` counts, so whatever else the client sends along is moot. */
export function removalKey(attr: AttributeDef, raw: unknown): string {
  if (attr.type === 'complex' && subAttributeOf(attr, 'value')) {
    const v = isObject(raw) ? member(raw, 'value') : raw;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
      return elementKey(attr, { value: v });
    }
  }
  return elementKey(attr, normalizeElement(attr, raw, attr.name));
}

/** Identity of an element: its `value` (under the sub-attribute's caseExact) or, lacking one, its content. */
export function elementKey(attr: AttributeDef, el: unknown): string {
  const valueSub = attr.type === 'complex' ? subAttributeOf(attr, 'value') : attr;
  const v = attr.type === 'complex' ? (isObject(el) ? el.value : undefined) : el;
  if (valueSub && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) {
    const s = String(v);
    return 'v:' + (valueSub.caseExact ? s : s.toLowerCase());
  }
  return 'j:' + stableJson(el);
}

export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (isObject(v)) {
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'undefined';
}

/** At most one element is primary: the last one this operation made primary wins. */
export function normalizePrimary(attr: AttributeDef, list: unknown[], touched: unknown[]): void {
  if (!subAttributeOf(attr, 'primary')) return;
  const winner = [...touched].reverse().find((el) => isObject(el) && el.primary === true);
  if (!winner) return;
  for (const el of list) if (el !== winner && isObject(el) && el.primary === true) el.primary = false;
}

export function normalizeElement(attr: AttributeDef, raw: unknown, label: string): unknown {
  return attr.type === 'complex' ? normalizeComplex(attr, raw, label) : normalizeSimple(attr, raw, label);
}

/** A complex value with canonical sub-attribute names and checked types. A bare scalar is taken as its
 * `value`, and a one-element list as that element, for single-valued attributes such as manager. */
export function normalizeComplex(attr: AttributeDef, raw: unknown, label: string): Obj {
  if (!isObject(raw)) {
    if (Array.isArray(raw) && raw.length === 1 && !attr.multiValued)
      return normalizeComplex(attr, raw[0], label);
    const valueSub = subAttributeOf(attr, 'value');
    if (valueSub && (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean')) {
      return { value: normalizeSimple(valueSub, raw, `${label}.value`) };
    }
    throw invalidValue(`"${label}" takes an object of sub-attributes.`);
  }
  const out: Obj = {};
  for (const [key, v] of Object.entries(raw)) {
    const sub = subAttributeOf(attr, key);
    if (!sub) throw invalidValue(`"${label}" has no sub-attribute "${key}".`);
    // Read-only sub-attributes a client sends back are ignored (RFC 7643 §2.2), as are nulls (unassigned).
    if (v === null || v === undefined || sub.mutability === 'readOnly') continue;
    out[sub.name] = normalizeSimple(sub, v, `${label}.${sub.name}`);
  }
  return out;
}

export function normalizeSimple(def: AttributeDef, raw: unknown, label: string): unknown {
  const wrong = () => invalidValue(`"${label}" must be ${article(def.type)}; got ${JSON.stringify(raw)}.`);
  switch (def.type) {
    case 'string':
    case 'reference':
    case 'binary':
      if (typeof raw !== 'string') throw wrong();
      return raw;
    case 'boolean': {
      // Entra ID sends booleans as "True"/"False".
      if (typeof raw === 'boolean') return raw;
      const lower = typeof raw === 'string' ? raw.toLowerCase() : undefined;
      if (lower === 'true') return true;
      if (lower === 'false') return false;
      throw wrong();
    }
    case 'integer':
      if (typeof raw !== 'number' || !Number.isInteger(raw)) throw wrong();
      return raw;
    case 'decimal':
      if (typeof raw !== 'number' || !Number.isFinite(raw)) throw wrong();
      return raw;
    case 'dateTime':
      if (typeof raw !== 'string' || parseDateTime(raw) === undefined) throw wrong();
      return raw;
    case 'complex':
      return normalizeComplex(def, raw, label);
  }
}

const article = (type: AttributeDef['type']): string =>
  type === 'integer' ? 'an integer' : type === 'dateTime' ? 'a dateTime' : `a ${type}`;

export function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (typeof v === 'string') return v.trim() === '';
  if (Array.isArray(v)) return v.length === 0;
  return false;
}

export function mergeInto(attr: AttributeDef, target: Obj, incoming: Obj): void {
  for (const [key, v] of Object.entries(incoming)) {
    const sub = subAttributeOf(attr, key);
    if (sub) setSub(target, sub, v, `${attr.name}.${sub.name}`);
  }
}

/** Writes a sub-attribute, honouring its mutability: readOnly never changes, immutable only when unset. */
export function setSub(target: Obj, sub: AttributeDef, v: unknown, label: string): void {
  const current = target[sub.name];
  if (current !== undefined && stableJson(current) === stableJson(v)) return;
  if (sub.mutability === 'readOnly') throw mutability(`"${label}" is read-only.`);
  if (sub.mutability === 'immutable' && current !== undefined && current !== null) {
    throw mutability(`"${label}" is immutable once set.`);
  }
  if (v === null || v === undefined) delete target[sub.name];
  else target[sub.name] = v;
}

export function unsetSub(target: Obj, sub: AttributeDef, label: string): void {
  if (target[sub.name] === undefined) return;
  if (sub.mutability === 'readOnly' || sub.mutability === 'immutable') {
    throw mutability(`"${label}" cannot be removed.`);
  }
  delete target[sub.name];
}
