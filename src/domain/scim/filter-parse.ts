// SCIM filter text (RFC 7644 §3.4.2.2) parsed with the maintained scim2-parse-filter, within bounds: an empty,
// oversized or too deeply nested filter, or one the grammar refuses, is invalidFilter.

import { parse, type Filter } from 'scim2-parse-filter';
import { badRequest, type ScimError } from './errors.js';

export const MAX_FILTER_LENGTH = 4096;
export const MAX_FILTER_DEPTH = 50;

export const invalidFilter = (detail: string): ScimError => badRequest('invalidFilter', detail);

/** Parses a filter; a syntax error, an empty or oversized (> 4096 chars) text, or nesting deeper than 50 is
 * ScimError(400, ..., 'invalidFilter'). A bare word such as `Foo@Example.com` is invalid. */
export function parseFilter(text: string): Filter {
  if (typeof text !== 'string' || text.trim() === '') throw invalidFilter('The filter is empty.');
  if (text.length > MAX_FILTER_LENGTH) {
    throw invalidFilter(`The filter is longer than ${MAX_FILTER_LENGTH} characters.`);
  }
  // Checked on the text first so the recursive parser never sees pathological nesting.
  if (groupingDepth(text) > MAX_FILTER_DEPTH) {
    throw invalidFilter(`The filter nests deeper than ${MAX_FILTER_DEPTH} levels.`);
  }
  let filter: Filter;
  try {
    filter = parse(text);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw invalidFilter(`The filter is not valid SCIM filter syntax: ${reason.slice(0, 200)}`);
  }
  if (filterDepth(filter) > MAX_FILTER_DEPTH) {
    throw invalidFilter(`The filter nests deeper than ${MAX_FILTER_DEPTH} levels.`);
  }
  decodeStrings(filter);
  return filter;
}

/** The parser unescapes only `\"` in quoted values and keeps every other backslash literally; a compValue is
 * a JSON string (RFC 7644 §3.4.2.2), so `\\`, `\n` and `\u00e9` are decoded here. Text that is not valid JSON
 * escaping (`DOMAIN\user`) keeps its backslashes, as a lenient reading of what the client meant. */
function decodeStrings(filter: Filter): void {
  switch (filter.op) {
    case 'and':
    case 'or':
      filter.filters.forEach(decodeStrings);
      return;
    case 'not':
      decodeStrings(filter.filter);
      return;
    case '[]':
      decodeStrings(filter.valFilter);
      return;
    case 'pr':
      return;
    default:
      if (typeof filter.compValue === 'string' && filter.compValue.includes('\\')) {
        try {
          filter.compValue = JSON.parse(`"${filter.compValue.replace(/"/g, '\\"')}"`) as string;
        } catch {
          // Not JSON escaping: keep the text as the parser read it.
        }
      }
  }
}

/** Deepest parenthesis/bracket nesting outside quoted strings. */
function groupingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '(' || c === '[') max = Math.max(max, ++depth);
    else if (c === ')' || c === ']') depth--;
  }
  return max;
}

function filterDepth(filter: Filter): number {
  switch (filter.op) {
    case 'and':
    case 'or':
      return 1 + Math.max(0, ...filter.filters.map(filterDepth));
    case 'not':
      return 1 + filterDepth(filter.filter);
    case '[]':
      return 1 + filterDepth(filter.valFilter);
    default:
      return 1;
  }
}
