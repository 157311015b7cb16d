import type { FastifyInstance } from 'fastify';
import { AppError } from '../../domain/errors.js';

// Every parsed part of a request (body, query string, path parameters) is walked once, before any schema or
// handler sees it. The walk is iterative, so no nesting can exhaust the stack, and it refuses what the rest
// of the server cannot handle: nesting deeper than MAX_INPUT_DEPTH, and strings PostgreSQL cannot store
// (NUL, which text and jsonb refuse; a lone UTF-16 surrogate, which jsonb refuses and text would silently
// replace).

/** Levels of objects and arrays a request may nest; bodies of this API need fewer than ten. */
export const MAX_INPUT_DEPTH = 64;

// In a `u` regex a well-formed surrogate pair is one astral code point, so \p{Cs} matches only lone halves.
const LONE_SURROGATE = /\p{Cs}/u;

export interface UnsafeInput {
  /** Keys from the part's root to the offending value. */
  path: string[];
  message: string;
}

function textProblem(s: string): string | undefined {
  if (s.includes('\u0000')) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(s))
    return 'must not contain a lone UTF-16 surrogate (\\ud800-\\udfff without its pair)';
  return undefined;
}

/** The first thing in a parsed request part that the API refuses outright, or undefined when there is none. */
export function findUnsafeInput(root: unknown, maxDepth = MAX_INPUT_DEPTH): UnsafeInput | undefined {
  const stack: { value: unknown; path: string[] }[] = [{ value: root, path: [] }];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const { value, path } = next;
    if (typeof value === 'string') {
      const message = textProblem(value);
      if (message) return { path, message };
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (path.length >= maxDepth) return { path, message: `must not nest deeper than ${maxDepth} levels` };
    const entries: [string, unknown][] = Array.isArray(value)
      ? value.map((v, i) => [String(i), v])
      : Object.entries(value);
    // Pushed in reverse so that the first offending value in document order is the one reported.
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i]!;
      const keyMessage = textProblem(key);
      if (keyMessage) return { path: [...path, key], message: `has a key that ${keyMessage}` };
      stack.push({ value: child, path: [...path, key] });
    }
  }
  return undefined;
}

/** Field names echo what the caller sent, so the characters that were refused are not echoed back. */
const printable = (key: string) => key.replaceAll('\u0000', '\uFFFD').replace(/\p{Cs}/gu, '\uFFFD');

const parts = ['params', 'querystring', 'body'] as const;

export function registerInputGuard(app: FastifyInstance) {
  app.addHook('preValidation', async (request) => {
    for (const part of parts) {
      const value = part === 'querystring' ? request.query : request[part];
      const found = findUnsafeInput(value);
      if (!found) continue;
      const field = [part, ...found.path.map(printable)].join('.');
      throw new AppError('validation_failed', `${field}: ${found.message}`, [
        { field, message: found.message },
      ]);
    }
  });
}
