import type { FastifyInstance } from 'fastify';
import { AppError } from '../../domain/errors.js';

// Every parsed part of a request (body, query string, path parameters) is walked once, before any schema or
// handler sees it. The walk is iterative, so no nesting can exhaust the stack, and it refuses what the rest
// of the server cannot handle: nesting deeper than MAX_INPUT_DEPTH, and strings PostgreSQL cannot store
// (NUL, which text and jsonb refuse; a lone UTF-16 surrogate, which jsonb refuses and text would silently
// replace).

/** Levels of objects and arrays a request may nest; bodies of this API need fewer than ten. */
export const MAX_INPUT_DEPTH = 64;

export interface UnsafeInput {
  /** Keys from the part's root to the offending value. */
  path: string[];
  message: string;
}

// String.prototype.isWellFormed (Node 20+): false exactly when a lone UTF-16 surrogate is present.
const wellFormed = (s: string) => (s as unknown as { isWellFormed(): boolean }).isWellFormed();

function textProblem(s: string): string | undefined {
  if (s.includes('\u0000')) return 'must not contain NUL characters';
  if (!wellFormed(s)) return 'must not contain a lone UTF-16 surrogate (\\ud800-\\udfff without its pair)';
  return undefined;
}

/**
 * The first thing in a parsed request part that the API refuses outright, or undefined when there is none. The
 * walk recurses at most `maxDepth` levels (deeper is refused before it is entered), so it cannot exhaust the
 * stack, and it allocates nothing unless it finds something.
 */
export function findUnsafeInput(root: unknown, maxDepth = MAX_INPUT_DEPTH): UnsafeInput | undefined {
  return scan(root, 0, maxDepth);
}

function scan(value: unknown, depth: number, maxDepth: number): UnsafeInput | undefined {
  if (typeof value === 'string') {
    const message = textProblem(value);
    return message ? { path: [], message } : undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  if (depth >= maxDepth) return { path: [], message: `must not nest deeper than ${maxDepth} levels` };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = scan(value[i], depth + 1, maxDepth);
      if (found) return (found.path.unshift(String(i)), found);
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    const keyMessage = textProblem(key);
    if (keyMessage) return { path: [key], message: `has a key that ${keyMessage}` };
    const found = scan((value as Record<string, unknown>)[key], depth + 1, maxDepth);
    if (found) return (found.path.unshift(key), found);
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
