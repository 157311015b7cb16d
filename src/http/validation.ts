import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import { isTimestamp } from '../domain/timestamps.js';

// Bodies are validated strictly (no type coercion, unknown fields rejected by `additionalProperties: false`
// in every body schema); query strings and path parameters are text on the wire, so they are coerced.
// Strings with NUL or lone surrogates and over-deep nesting never get here (plugins/input-guard.ts).

function makeAjv(coerceTypes: boolean | 'array') {
  const ajv = new Ajv.default({
    coerceTypes,
    removeAdditional: false,
    useDefaults: true,
    allErrors: false,
    strict: false,
    // NaN and Infinity (JSON's 1e400) are not numbers a column can hold, bounded or not.
    strictNumbers: true,
  });
  addFormats.default(ajv);
  // Every `date-time` the API accepts follows the one timestamp rule (calendar-valid, 1970 to 9999).
  ajv.addFormat('date-time', { type: 'string', validate: isTimestamp });
  return ajv;
}

const strict = makeAjv(false);
const coercing = makeAjv('array');

function allowingNoBody(validate: ValidateFunction): ValidateFunction {
  const wrapped = ((data: unknown) => {
    if (data === undefined || data === null) return true;
    const ok = validate(data);
    wrapped.errors = validate.errors;
    return ok;
  }) as ValidateFunction;
  return wrapped;
}

/**
 * Coercion turns the text "Infinity" (or "1e400") into a number that skips ajv's range checks, so query
 * strings and path parameters are checked for it after validation; both are flat objects.
 */
function refusingNonFinite(validate: ValidateFunction): ValidateFunction {
  const wrapped = ((data: unknown) => {
    const ok = validate(data);
    wrapped.errors = validate.errors;
    if (!ok || !data || typeof data !== 'object') return ok;
    for (const [key, value] of Object.entries(data)) {
      if ([value].flat().some((v) => typeof v === 'number' && !Number.isFinite(v))) {
        wrapped.errors = [
          {
            instancePath: `/${key}`,
            schemaPath: '',
            keyword: 'type',
            params: {},
            message: 'must be a finite number',
          },
        ];
        return false;
      }
    }
    return true;
  }) as ValidateFunction;
  return wrapped;
}

/** Marks a body schema whose body may be left out entirely (DELETE with an optional reason). */
export const OPTIONAL_BODY = 'x-optional-body';

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
  if (httpPart !== 'body') return refusingNonFinite(coercing.compile(schema));
  const validate = strict.compile(schema);
  return (schema as Record<string, unknown>)[OPTIONAL_BODY] === true ? allowingNoBody(validate) : validate;
};
