import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { JsonSchema } from './json-schema-arbitrary.test-helpers.js';

/** The parts of the service's OpenAPI 3.1 document the contract suites read. */
export interface OpenApiDocument {
  readonly paths: Record<string, Record<string, unknown>>;
  readonly components: { readonly schemas: Record<string, JsonSchema> };
}

const DOCUMENT_ID = 'urn:expert-dispatch:openapi';

/**
 * A validator of JSON answers against the document's schemas (JSON Schema 2020-12, formats
 * checked): null when `value` matches `schema`, else the errors as one line. Component
 * references (`#/components/schemas/X`) resolve against the document; compiled schemas are
 * cached by their text.
 *
 * @example
 * const validate = compileResponseValidator(doc);
 * validate({ $ref: '#/components/schemas/Problem' }, body); // null
 */
export function compileResponseValidator(
  doc: OpenApiDocument,
): (schema: JsonSchema, value: unknown) => string | null {
  const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true });
  addFormats.default(ajv);
  ajv.addSchema({ $id: DOCUMENT_ID, components: rewriteRefs(doc.components) });
  const compiled = new Map<string, ReturnType<typeof ajv.compile>>();
  return (schema, value) => {
    const key = JSON.stringify(schema);
    let validate = compiled.get(key);
    if (validate === undefined) {
      validate = ajv.compile(rewriteRefs(schema) as object);
      compiled.set(key, validate);
    }
    if (validate(value)) return null;
    return ajv.errorsText(validate.errors, { separator: '; ' });
  };
}

/** Points the document's local references at the document registered in Ajv. */
function rewriteRefs<T>(schema: T): T {
  return JSON.parse(
    JSON.stringify(schema).replaceAll('"#/components/', `"${DOCUMENT_ID}#/components/`),
  ) as T;
}
