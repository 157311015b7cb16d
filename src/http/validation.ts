import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import { isTimestamp } from '../domain/timestamps.js';

// Bodies are validated strictly (no type coercion, unknown fields rejected by `additionalProperties: false`
// in every body schema); query strings and path parameters are text on the wire, so they are coerced.

function makeAjv(coerceTypes: boolean | 'array') {
  const ajv = new Ajv.default({
    coerceTypes,
    removeAdditional: false,
    useDefaults: true,
    allErrors: false,
    strict: false,
  });
  addFormats.default(ajv);
  // Every `date-time` the API accepts follows the one timestamp rule (calendar-valid, 1970 to 9999).
  ajv.addFormat('date-time', { type: 'string', validate: isTimestamp });
  return ajv;
}

const strict = makeAjv(false);
const coercing = makeAjv('array');

/** PostgreSQL text and jsonb cannot hold NUL characters: refuse them up front instead of failing in the store. */
function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(containsNul);
  if (value && typeof value === 'object')
    return Object.entries(value).some(([k, v]) => k.includes('\u0000') || containsNul(v));
  return false;
}

function withNulCheck(validate: ValidateFunction, bodyOptional: boolean): ValidateFunction {
  const wrapped = ((data: unknown) => {
    if (bodyOptional && (data === undefined || data === null)) return true;
    if (containsNul(data)) {
      wrapped.errors = [
        {
          instancePath: '',
          schemaPath: '',
          keyword: 'nul',
          params: {},
          message: 'must not contain NUL characters',
        },
      ];
      return false;
    }
    const ok = validate(data);
    wrapped.errors = validate.errors;
    return ok;
  }) as ValidateFunction;
  return wrapped;
}

/** Marks a body schema whose body may be left out entirely (DELETE with an optional reason). */
export const OPTIONAL_BODY = 'x-optional-body';

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) =>
  withNulCheck(
    httpPart === 'body' ? strict.compile(schema) : coercing.compile(schema),
    httpPart === 'body' && (schema as Record<string, unknown>)[OPTIONAL_BODY] === true,
  );
