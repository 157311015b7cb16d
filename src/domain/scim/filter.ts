// SCIM filters (RFC 7644 §3.4.2.2): evaluation against resources as served (parsing: filter-parse.ts).
// Evaluation is schema-aware: string comparisons honour each attribute's caseExact, dateTimes compare as
// instants, and operator/type combinations the RFC rules out are invalidFilter whether or not any resource
// would reach them (filters are checked once, when compiled, not per resource).

import type { Filter } from 'scim2-parse-filter';
import { resolveAttribute, subAttributeOf, type AttributeDef, type ResourceType } from './attributes.js';
import { invalidFilter } from './filter-parse.js';

export type { Filter } from 'scim2-parse-filter';
export { MAX_FILTER_DEPTH, MAX_FILTER_LENGTH, parseFilter } from './filter-parse.js';

type Scope = Record<string, unknown>;
export type FilterPredicate = (scope: Scope) => boolean;

const compiled = new WeakMap<Filter, Partial<Record<ResourceType, FilterPredicate>>>();

/** Validates a filter against a resource type's schemas and returns its predicate; the invalidFilter errors of
 * matchesFilter are raised here, so callers with no resource to test can still reject a bad filter. */
export function compileFilter(filter: Filter, type: ResourceType): FilterPredicate {
  let byType = compiled.get(filter);
  if (!byType) {
    byType = {};
    compiled.set(filter, byType);
  }
  let predicate = byType[type];
  if (!predicate) {
    predicate = compileNode(filter, { type });
    byType[type] = predicate;
  }
  return predicate;
}

/** Compiles a filter that applies to the elements of a complex attribute, as inside `emails[type eq "work"]`;
 * its attribute paths name sub-attributes. */
export function compileValueFilter(
  filter: Filter,
  type: ResourceType,
  within: AttributeDef,
): FilterPredicate {
  return compileNode(filter, { type, within });
}

/** RFC 7644 §3.4.2.2 semantics on a resource as served (JSON): eq ne co sw ew pr gt ge lt le, and or not,
 * parentheses, value paths (`emails[type eq "work" and value co "@x"]`), sub-attributes (`name.familyName`),
 * schema-URN-prefixed attributes. String comparisons honour the attribute's caseExact (userName, emails.value,
 * displayName compare case-insensitively; id and externalId exactly); dateTime attributes compare as instants
 * (gt/ge/lt/le on meta.lastModified); booleans compare with true/false; gt/ge/lt/le on booleans or complex
 * attributes are invalidFilter (400); a multi-valued attribute matches when any value does; a complex
 * multi-valued attribute without sub-attribute compares its `value` sub-attribute; unknown attributes never
 * match (and `not` of them matches).
 *
 * An absent attribute has no values, so every comparison on it, `ne` included, is false; `eq null` matches
 * it and `ne null` matches a present one (RFC 7643 §2.5: null and unassigned are the same state). */
export function matchesFilter(
  resource: Record<string, unknown>,
  filter: Filter,
  type: ResourceType,
): boolean {
  return compileFilter(filter, type)(resource);
}

interface Context {
  type: ResourceType;
  /** Set inside a value path: the complex attribute whose elements are being tested. */
  within?: AttributeDef;
}

const never: FilterPredicate = () => false;

function compileNode(filter: Filter, ctx: Context): FilterPredicate {
  switch (filter.op) {
    case 'and': {
      const parts = filter.filters.map((f) => compileNode(f, ctx));
      return (scope) => parts.every((p) => p(scope));
    }
    case 'or': {
      const parts = filter.filters.map((f) => compileNode(f, ctx));
      return (scope) => parts.some((p) => p(scope));
    }
    case 'not': {
      const inner = compileNode(filter.filter, ctx);
      return (scope) => !inner(scope);
    }
    case '[]':
      return compileValuePath(filter.attrPath, filter.valFilter, ctx);
    case 'pr': {
      const operand = operandAt(filter.attrPath, ctx);
      if (!operand) return never;
      return (scope) => operand.read(scope).some(hasValue);
    }
    case 'eq':
    case 'ne':
    case 'co':
    case 'sw':
    case 'ew':
    case 'gt':
    case 'ge':
    case 'lt':
    case 'le':
      return compileComparison(filter.op, filter.attrPath, filter.compValue, ctx);
    default:
      throw invalidFilter(`Unsupported filter operator "${String((filter as { op: unknown }).op)}".`);
  }
}

function compileValuePath(attrPath: string, valFilter: Filter, ctx: Context): FilterPredicate {
  if (ctx.within) throw invalidFilter(`Value filters cannot nest ("${attrPath}[…]").`);
  const resolved = resolveAttribute(ctx.type, attrPath);
  if (!resolved || isHidden(resolved.attribute)) return never;
  if (resolved.sub || resolved.attribute.type !== 'complex') {
    throw invalidFilter(`A value filter needs a complex attribute; "${attrPath}" is not one.`);
  }
  const inner = compileNode(valFilter, { type: ctx.type, within: resolved.attribute });
  const read = reader(resolved.extension ? resolved.schema.id : undefined, resolved.attribute.name);
  return (scope) => read(scope).some((el) => isObject(el) && inner(el));
}

interface Operand {
  def: AttributeDef;
  read: (scope: Scope) => unknown[];
}

/** Writes-only and never-returned attributes (password) are not filterable: they match nothing. */
const isHidden = (def: AttributeDef): boolean => def.returned === 'never' || def.mutability === 'writeOnly';

function operandAt(attrPath: string, ctx: Context): Operand | undefined {
  if (ctx.within) {
    const within = ctx.within;
    let sub = subAttributeOf(within, attrPath);
    // `emails[emails.type eq "work"]` names the same sub-attribute with its parent spelled out.
    const prefix = within.name.toLowerCase() + '.';
    if (!sub && attrPath.toLowerCase().startsWith(prefix))
      sub = subAttributeOf(within, attrPath.slice(prefix.length));
    if (!sub || isHidden(sub)) return undefined;
    const name = sub.name;
    return {
      def: sub,
      read: (el) => {
        const v = field(el, name);
        return hasAssigned(v) ? [v] : [];
      },
    };
  }
  const resolved = resolveAttribute(ctx.type, attrPath);
  if (!resolved || isHidden(resolved.attribute) || (resolved.sub && isHidden(resolved.sub))) return undefined;
  const read = reader(resolved.extension ? resolved.schema.id : undefined, resolved.attribute.name);
  const sub = resolved.sub;
  if (!sub) return { def: resolved.attribute, read };
  const name = sub.name;
  return {
    def: sub,
    read: (scope) => {
      const out: unknown[] = [];
      for (const el of read(scope)) {
        const v = isObject(el) ? field(el, name) : undefined;
        if (hasAssigned(v)) out.push(v);
      }
      return out;
    },
  };
}

/** A member by its canonical name, or failing that by any spelling of it (attribute names are
 * case-insensitive, and resources may carry client-supplied keys as sent). */
function field(obj: Record<string, unknown>, name: string): unknown {
  const exact = obj[name];
  if (exact !== undefined || Object.hasOwn(obj, name)) return exact;
  const lower = name.toLowerCase();
  for (const key of Object.keys(obj)) if (key.toLowerCase() === lower) return obj[key];
  return undefined;
}

/** Reads an attribute's values: the elements of a multi-valued one, or the single value; none when absent. */
function reader(extension: string | undefined, name: string): (scope: Scope) => unknown[] {
  return (scope) => {
    const container = extension === undefined ? scope : field(scope, extension);
    if (!isObject(container)) return [];
    const value = field(container, name);
    if (Array.isArray(value)) return value.filter(hasAssigned);
    return hasAssigned(value) ? [value] : [];
  };
}

type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';

function compileComparison(
  op: CompareOp,
  attrPath: string,
  compValue: boolean | null | number | string,
  ctx: Context,
): FilterPredicate {
  const operand = operandAt(attrPath, ctx);
  if (!operand) return never;
  let { def, read } = operand;
  if (def.type === 'complex') {
    // A complex attribute compares through its `value` sub-attribute (emails, members, manager) and only
    // for equality and substring tests; ordering a complex value means nothing.
    const valueSub = subAttributeOf(def, 'value');
    if (!valueSub || op === 'gt' || op === 'ge' || op === 'lt' || op === 'le') {
      throw invalidFilter(`"${attrPath}" is a complex attribute; compare one of its sub-attributes.`);
    }
    const whole = read;
    read = (scope) => whole(scope).flatMap((el) => (isObject(el) && hasAssigned(el.value) ? [el.value] : []));
    def = valueSub;
  }
  if (compValue === null) {
    if (op === 'eq') return (scope) => !read(scope).some(hasValue);
    if (op === 'ne') return (scope) => read(scope).some(hasValue);
    throw invalidFilter(`"${op}" cannot compare with null.`);
  }
  const test = valueTest(def, op, compValue, attrPath);
  return (scope) => read(scope).some(test);
}

function valueTest(
  def: AttributeDef,
  op: CompareOp,
  compValue: boolean | number | string,
  attrPath: string,
): (value: unknown) => boolean {
  const mismatch = () =>
    invalidFilter(`"${attrPath}" cannot be compared with ${JSON.stringify(compValue)} using "${op}".`);
  switch (def.type) {
    case 'boolean': {
      const expected = asBoolean(compValue);
      if (expected === undefined || (op !== 'eq' && op !== 'ne')) throw mismatch();
      return (v) => {
        const actual = asBoolean(v);
        if (actual === undefined) return false;
        return op === 'eq' ? actual === expected : actual !== expected;
      };
    }
    case 'integer':
    case 'decimal': {
      if (typeof compValue !== 'number' || op === 'co' || op === 'sw' || op === 'ew') throw mismatch();
      return (v) => typeof v === 'number' && order(op, v, compValue);
    }
    case 'dateTime': {
      if (typeof compValue !== 'string') throw mismatch();
      if (op === 'co' || op === 'sw' || op === 'ew') return stringTest(op, compValue, def.caseExact);
      const instant = parseDateTime(compValue);
      if (instant === undefined) throw invalidFilter(`${JSON.stringify(compValue)} is not a dateTime.`);
      return (v) => {
        const actual = typeof v === 'string' ? parseDateTime(v) : undefined;
        return actual !== undefined && order(op, actual, instant);
      };
    }
    case 'binary':
      if (op === 'gt' || op === 'ge' || op === 'lt' || op === 'le') throw mismatch();
      if (typeof compValue !== 'string') throw mismatch();
      return stringTest(op, compValue, def.caseExact);
    case 'string':
    case 'reference':
      if (typeof compValue !== 'string') throw mismatch();
      return stringTest(op, compValue, def.caseExact);
    case 'complex':
      throw mismatch();
  }
}

function stringTest(op: CompareOp, compValue: string, caseExact: boolean): (value: unknown) => boolean {
  const norm = caseExact ? (s: string) => s : (s: string) => s.toLowerCase();
  const expected = norm(compValue);
  const on = (f: (actual: string) => boolean) => (v: unknown) => typeof v === 'string' && f(norm(v));
  switch (op) {
    case 'eq':
      return on((a) => a === expected);
    case 'ne':
      return on((a) => a !== expected);
    case 'co':
      return on((a) => a.includes(expected));
    case 'sw':
      return on((a) => a.startsWith(expected));
    case 'ew':
      return on((a) => a.endsWith(expected));
    case 'gt':
    case 'ge':
    case 'lt':
    case 'le':
      return on((a) => order(op, a, expected));
  }
}

function order<T extends number | string>(op: CompareOp, a: T, b: T): boolean {
  switch (op) {
    case 'eq':
      return a === b;
    case 'ne':
      return a !== b;
    case 'gt':
      return a > b;
    case 'ge':
      return a >= b;
    case 'lt':
      return a < b;
    case 'le':
      return a <= b;
    default:
      return false;
  }
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?$/i;

/** An xsd:dateTime as epoch milliseconds; one without a zone is read as UTC. */
export function parseDateTime(text: string): number | undefined {
  if (!DATE_TIME.test(text)) return undefined;
  const zoned = /(?:Z|[+-]\d{2}:\d{2})$/i.test(text) ? text : `${text}Z`;
  const ms = Date.parse(zoned);
  return Number.isNaN(ms) ? undefined : ms;
}

function asBoolean(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const lower = v.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
  }
  return undefined;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const hasAssigned = (v: unknown): boolean => v !== undefined && v !== null;

/** RFC 7644 `pr`: a non-empty value, or a complex value with some non-empty sub-attribute. */
function hasValue(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'string') return v.length > 0;
  if (Array.isArray(v)) return v.some(hasValue);
  if (isObject(v)) return Object.values(v).some(hasValue);
  return true;
}

const INDEXED: Record<ResourceType, ReadonlySet<string>> = {
  User: new Set(['userName', 'externalId', 'id', 'emails.value', 'displayName']),
  Group: new Set(['displayName', 'externalId', 'id']),
};

/** For the common lookups a provider makes (`userName eq "x"`, `externalId eq "x"`, `id eq "x"`,
 * `emails.value eq "x"`, `emails[value eq "x"]`, `displayName eq "x"`): the attribute (canonical spelling) and
 * value, so the store can use an index; undefined for anything else. `caseExact` says how the store must
 * compare (userName, emails.value and displayName case-insensitively; id and externalId exactly). */
export function equalityLookup(
  filter: Filter,
  type: ResourceType,
): { attribute: string; value: string; caseExact: boolean } | undefined {
  let found: { def: AttributeDef; canonical: string; value: string } | undefined;
  if (filter.op === 'eq' && typeof filter.compValue === 'string') {
    const resolved = resolveAttribute(type, filter.attrPath);
    const valueSub = resolved && !resolved.sub ? subAttributeOf(resolved.attribute, 'value') : undefined;
    if (resolved && resolved.attribute.type === 'complex' && valueSub) {
      // `emails eq "x"` compares the `value` sub-attribute, so it is the same lookup as `emails.value eq "x"`.
      found = { def: valueSub, canonical: `${resolved.canonical}.value`, value: filter.compValue };
    } else if (resolved) {
      found = {
        def: resolved.sub ?? resolved.attribute,
        canonical: resolved.canonical,
        value: filter.compValue,
      };
    }
  } else if (
    filter.op === '[]' &&
    filter.valFilter.op === 'eq' &&
    typeof filter.valFilter.compValue === 'string'
  ) {
    const resolved = resolveAttribute(type, filter.attrPath);
    const sub =
      resolved && !resolved.sub ? subAttributeOf(resolved.attribute, filter.valFilter.attrPath) : undefined;
    if (resolved && sub) {
      found = { def: sub, canonical: `${resolved.canonical}.${sub.name}`, value: filter.valFilter.compValue };
    }
  }
  if (!found || !INDEXED[type].has(found.canonical)) return undefined;
  return { attribute: found.canonical, value: found.value, caseExact: found.def.caseExact };
}
