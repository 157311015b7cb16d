import fc from 'fast-check';

// fast-check arbitraries built from the JSON schemas of the OpenAPI document: values that mostly fit the
// schema, so requests get past validation into the operations, with hostile values mixed in at every level.
// Values that JSON.stringify cannot write (1e400, nesting deeper than its recursion allows) travel as
// placeholders that `toJson` replaces with raw JSON text.

export type Schema = Record<string, unknown>;

const RAW = '\u0001raw:';
const raw = (jsonText: string) => `${RAW}${jsonText}\u0001`;

/** JSON text for a generated value, with the raw placeholders spliced in. */
export const toJson = (value: unknown) =>
  JSON.stringify(value).replace(/"\\u0001raw:((?:[^"\\]|\\.)*)\\u0001"/g, (_m, text: string) =>
    JSON.parse(`"${text}"`),
  );

export const deepNesting = (levels: number) => raw(`${'['.repeat(levels)}${']'.repeat(levels)}`);

/** Timestamps the API must refuse: leap seconds, years outside 1970-9999, impossible days, odd syntax. */
export const hostileTimestamps = [
  '2026-06-30T23:59:60Z',
  '+010000-01-01T00:00:00Z',
  '10000-01-01T00:00:00Z',
  '0000-01-01T00:00:00Z',
  '2026-02-30T00:00:00Z',
  '1969-12-31T23:59:59Z',
  '9999-12-31T23:59:59+00:00 ',
  '2026-01-01T00:00:00+25:00',
  '2026-01-01\n00:00:00Z',
  '2026-01-01T00:00:00',
];

const HOUR = 3_600_000;
/** Mostly times a little ahead (most fields want a future time), some anywhere, the edges, some hostile. */
export const timestamp = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .integer({ min: 1, max: 24 * 365 })
      .map((hours) => new Date(Date.now() + hours * HOUR).toISOString()),
  },
  { weight: 1, arbitrary: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '9999-12-31T23:59:59.999Z',
      '9999-12-31T00:00:00-23:59',
      '1970-01-01T00:00:00Z',
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom(...hostileTimestamps) },
);

export const hostileStrings = fc.constantFrom(
  'bad\ud800name',
  '\udc00',
  'tail\ud83d',
  'nul\u0000byte',
  '\u0000',
  '',
  '   ',
  'x'.repeat(1001),
  'x'.repeat(100_000),
  '%00',
  '../../etc/passwd',
  '<script>',
  'ünïcödé 😀',
);

export const hostileNumbers = fc.constantFrom(
  raw('1e400'),
  raw('-1e400'),
  raw('1e308'),
  raw('9007199254740993'),
  raw('-0'),
  raw('123456789012345678901234567890'),
  2_147_483_648,
  -1,
  0,
  0.5,
  Number.MAX_SAFE_INTEGER,
  Number.MIN_SAFE_INTEGER,
);

export const wrongTypes = fc.constantFrom<unknown>(null, true, false, [], {}, 'text', 42, [[]], { a: 1 });

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileStrings,
  hostileNumbers,
  wrongTypes,
  fc.constantFrom(...hostileTimestamps),
  fc.constantFrom(deepNesting(10_000), deepNesting(65)),
);

export interface SchemaArbitraryOptions {
  /** Resolves a `$ref` of the document. */
  resolve: (ref: string) => Schema;
  /** Values for a named property (real ids for `userId`, configs for `config`), tried before the schema. */
  special?: (name: string, schema: Schema) => fc.Arbitrary<unknown> | undefined;
  /** How often (0..1) a node is replaced by a hostile value. */
  hostility?: number;
}

export function schemaArbitrary(
  schema: Schema,
  opts: SchemaArbitraryOptions,
  depth = 0,
): fc.Arbitrary<unknown> {
  const fitting = fitsSchema(schema, opts, depth);
  const hostility = opts.hostility ?? 0.1;
  if (hostility <= 0) return fitting;
  const weight = Math.max(1, Math.round(100 * hostility));
  return fc.oneof({ weight: 100 - weight, arbitrary: fitting }, { weight, arbitrary: hostileValue });
}

function fitsSchema(schema: Schema, opts: SchemaArbitraryOptions, depth: number): fc.Arbitrary<unknown> {
  if (typeof schema.$ref === 'string') return fitsSchema(opts.resolve(schema.$ref), opts, depth);
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  const alternatives = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (alternatives) return fc.oneof(...alternatives.map((s) => schemaArbitrary(s, opts, depth + 1)));
  const child = (s: Schema) => schemaArbitrary(s, opts, depth + 1);
  switch (schema.type) {
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      const required = (schema.required ?? []) as string[];
      const fields = Object.fromEntries(
        Object.entries(properties).map(([name, s]) => [name, opts.special?.(name, s) ?? child(s)]),
      );
      const known = fc.record(fields, { requiredKeys: required.filter((k) => k in fields) });
      const extra =
        typeof schema.additionalProperties === 'object'
          ? fc.dictionary(fc.string({ maxLength: 12 }), child(schema.additionalProperties as Schema), {
              maxKeys: 3,
            })
          : fc.oneof(
              { weight: 9, arbitrary: fc.constant({}) },
              { weight: 1, arbitrary: fc.record({ unknownField: hostileValue }) },
            );
      return fc.tuple(known, extra).map(([k, e]) => ({ ...e, ...k }));
    }
    case 'array': {
      if (depth > 6) return fc.constant([]);
      const maxLength = Math.min(Number(schema.maxItems ?? 4), 4);
      const minLength = Math.min(Number(schema.minItems ?? 0), maxLength);
      return fc.array(child((schema.items ?? {}) as Schema), { minLength, maxLength });
    }
    case 'string':
      if (schema.format === 'date-time') return timestamp;
      return fc.string({
        minLength: Number(schema.minLength ?? 0),
        maxLength: Math.max(Number(schema.minLength ?? 0), Math.min(Number(schema.maxLength ?? 40), 40)),
      });
    case 'integer':
    case 'number': {
      const min = typeof schema.minimum === 'number' ? schema.minimum : -1_000_000;
      const max = typeof schema.maximum === 'number' ? schema.maximum : 1_000_000;
      return fc.oneof(fc.integer({ min, max }), fc.constantFrom(min, max, min - 1, max + 1));
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}
