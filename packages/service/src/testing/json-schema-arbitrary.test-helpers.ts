import fc from 'fast-check';

/** A JSON Schema (2020-12, as OpenAPI 3.1 embeds it); `true`/`false` schemas included. */
export type JsonSchema = { readonly [keyword: string]: unknown } | boolean;

/** Resolves `#/components/schemas/X` against the OpenAPI document. */
export type ResolveRef = (ref: string) => JsonSchema;

const MAX_DEPTH = 6;
const MAX_ITEMS = 3;
const MAX_STRING = 24;

/**
 * Date and date-time values a generator mixes in although they are well-formed: the extreme
 * years that reached PostgreSQL and the reports' arithmetic before they were bounded.
 */
export const HOSTILE_DATES = ['0000-01-01', '9999-12-31', '1800-06-01', '2030-02-29'] as const;
export const HOSTILE_DATE_TIMES = [
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '1900-01-01T00:00:00+08:00',
] as const;

/** Hostile values put in place of any one field by {@link mutateArbitrary}. */
export const HOSTILE_VALUES: readonly unknown[] = [
  null,
  '',
  ' ',
  'x'.repeat(5000),
  '\u0000',
  '<script>alert(1)</script>',
  "'; drop table experts; --",
  -1,
  0,
  2 ** 31,
  Number.MAX_SAFE_INTEGER + 2,
  1e308,
  -1e308,
  0.5,
  true,
  [],
  {},
  [null],
  { $ne: null },
  ...HOSTILE_DATES,
  ...HOSTILE_DATE_TIMES,
];

const calendarDate = fc
  .record({
    year: fc.integer({ min: 2000, max: 2100 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 28 }),
  })
  .map(
    ({ year, month, day }) =>
      `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
  );

const dateArbitrary = fc.oneof(
  { weight: 8, arbitrary: calendarDate },
  { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_DATES) },
);

const dateTimeArbitrary = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .tuple(calendarDate, fc.integer({ min: 0, max: 23 }), fc.constantFrom('Z', '+08:00'))
      .map(([date, hour, offset]) => `${date}T${String(hour).padStart(2, '0')}:30:00${offset}`),
  },
  { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_DATE_TIMES) },
);

/**
 * A fast-check arbitrary of values valid against `schema` — as far as a JSON Schema can say:
 * the service's own cross-field rules and bounds not expressed in the schema (a window that
 * ends after it starts, dates of year 0000) are left to chance, which is the point of a fuzz.
 *
 * @example
 * fc.sample(arbitraryOf({ type: 'integer', minimum: 1 }, resolve), { seed: 1, numRuns: 5 });
 */
export function arbitraryOf(
  schema: JsonSchema,
  resolve: ResolveRef,
  depth = 0,
): fc.Arbitrary<unknown> {
  if (schema === true) return fc.jsonValue({ maxDepth: 2 });
  if (schema === false) return fc.constant(undefined);
  if (typeof schema.$ref === 'string') return arbitraryOf(resolve(schema.$ref), resolve, depth);
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  const choices = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(choices) && choices.length > 0) {
    return fc.oneof(...choices.map((choice) => arbitraryOf(choice, resolve, depth + 1)));
  }
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0) {
    return arbitraryOf(schema.allOf[0] as JsonSchema, resolve, depth + 1);
  }
  const type = schema.type;
  if (Array.isArray(type)) {
    return fc.oneof(
      ...type.map((one) => arbitraryOf({ ...schema, type: one as string }, resolve, depth)),
    );
  }
  switch (type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return integerOf(schema);
    case 'number':
      return numberOf(schema);
    case 'string':
      return stringOf(schema);
    case 'array':
      return arrayOf(schema, resolve, depth);
    case 'object':
      return objectOf(schema, resolve, depth);
    default:
      return schema.properties === undefined
        ? fc.jsonValue({ maxDepth: 2 })
        : objectOf(schema, resolve, depth);
  }
}

function integerOf(schema: { readonly [keyword: string]: unknown }): fc.Arbitrary<number> {
  const min = typeof schema.minimum === 'number' ? Math.ceil(schema.minimum) : -1000;
  const max = typeof schema.maximum === 'number' ? Math.floor(schema.maximum) : min + 100_000;
  const low = typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + 1 : min;
  const high = typeof schema.exclusiveMaximum === 'number' ? schema.exclusiveMaximum - 1 : max;
  const clamp = (n: number) =>
    Math.max(Number.MIN_SAFE_INTEGER, Math.min(Number.MAX_SAFE_INTEGER, n));
  return fc.integer({ min: clamp(low), max: clamp(Math.max(low, high)) });
}

function numberOf(schema: { readonly [keyword: string]: unknown }): fc.Arbitrary<number> {
  const min =
    typeof schema.minimum === 'number'
      ? schema.minimum
      : typeof schema.exclusiveMinimum === 'number'
        ? schema.exclusiveMinimum + 1e-6
        : -1e6;
  const max =
    typeof schema.maximum === 'number'
      ? schema.maximum
      : typeof schema.exclusiveMaximum === 'number'
        ? schema.exclusiveMaximum - 1e-6
        : 1e6;
  return fc.double({ min, max: Math.max(min, max), noNaN: true, noDefaultInfinity: true });
}

function stringOf(schema: { readonly [keyword: string]: unknown }): fc.Arbitrary<string> {
  const pattern = typeof schema.pattern === 'string' ? schema.pattern : undefined;
  if (schema.format === 'date-time') return dateTimeArbitrary;
  if (schema.format === 'date' || pattern?.includes('\\d{4}-\\d{2}-\\d{2}')) return dateArbitrary;
  if (schema.format === 'uri') {
    return fc.constantFrom('https://example.org/hook', 'http://127.0.0.1:9/x', 'ftp://x.example');
  }
  if (schema.format === 'email') return fc.constantFrom('a@example.org', 'x@y.z');
  const minLength = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const maxLength =
    typeof schema.maxLength === 'number'
      ? Math.min(schema.maxLength, Math.max(minLength, MAX_STRING))
      : Math.max(minLength, MAX_STRING);
  const fits = (value: string) => value.length >= minLength && value.length <= maxLength;
  if (pattern !== undefined) {
    try {
      return fc
        .stringMatching(new RegExp(pattern))
        .map((value) => (fits(value) ? value : value.slice(0, maxLength)));
    } catch {
      // A pattern fast-check cannot read: plain strings, mostly refused, still a fair fuzz.
    }
  }
  return fc.string({ minLength, maxLength, unit: 'grapheme' });
}

function arrayOf(
  schema: { readonly [keyword: string]: unknown },
  resolve: ResolveRef,
  depth: number,
): fc.Arbitrary<unknown[]> {
  const minLength = typeof schema.minItems === 'number' ? schema.minItems : 0;
  const declaredMax = typeof schema.maxItems === 'number' ? schema.maxItems : MAX_ITEMS;
  const maxLength =
    depth >= MAX_DEPTH ? minLength : Math.max(minLength, Math.min(declaredMax, MAX_ITEMS));
  const items = (schema.items ?? true) as JsonSchema;
  return fc.array(arbitraryOf(items, resolve, depth + 1), { minLength, maxLength });
}

function objectOf(
  schema: { readonly [keyword: string]: unknown },
  resolve: ResolveRef,
  depth: number,
): fc.Arbitrary<Record<string, unknown>> {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  const keys = Object.keys(properties).filter((key) => required.has(key) || depth < MAX_DEPTH);
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const key of keys)
    model[key] = arbitraryOf(properties[key] as JsonSchema, resolve, depth + 1);
  return fc.record(model, { requiredKeys: keys.filter((key) => required.has(key)) });
}

/** Every place in a JSON value a mutation can hit: the root (empty path) and each member. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const paths: (string | number)[][] = [prefix];
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      paths.push(...pathsOf(item, [...prefix, index]));
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) paths.push(...pathsOf(item, [...prefix, key]));
  }
  return paths;
}

function setAt(value: unknown, path: readonly (string | number)[], next: unknown): unknown {
  if (path.length === 0) return next;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  if (Array.isArray(value)) {
    const copy = [...value];
    copy[head as number] = setAt(copy[head as number], rest, next);
    return copy;
  }
  const record = { ...(value as Record<string, unknown>) };
  if (rest.length === 0 && next === undefined) delete record[head as string];
  else record[head as string] = setAt(record[head as string], rest, next);
  return record;
}

/**
 * Values that are almost `valid`: one member replaced by a hostile value, removed, or joined by
 * an unknown member — what a client with a bug or an attacker sends.
 *
 * @example
 * fc.sample(mutateArbitrary(arbitraryOf(schema, resolve)), { seed: 7, numRuns: 10 });
 */
export function mutateArbitrary(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc
    .tuple(
      valid,
      fc.nat(),
      fc.constantFrom('replace', 'remove', 'add'),
      fc.constantFrom(...HOSTILE_VALUES),
    )
    .map(([value, pick, how, hostile]) => {
      const paths = pathsOf(value);
      const path = paths[pick % paths.length] ?? [];
      if (how === 'remove') return path.length === 0 ? undefined : setAt(value, path, undefined);
      if (how === 'add' && value !== null && typeof value === 'object' && !Array.isArray(value)) {
        return { ...value, unexpectedField: hostile };
      }
      return setAt(value, path, hostile);
    });
}
