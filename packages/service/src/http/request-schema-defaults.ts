/** A JSON Schema node of the document, as far as this walk reads it. */
type SchemaNode = Record<string, unknown>;

const isNode = (value: unknown): value is SchemaNode =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const CHILD_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'] as const;
const CHILD_NODES = ['items', 'additionalProperties', 'not'] as const;

/**
 * Moves the `default` of every optional property a request body can carry into the property's
 * description (`Default / 默认: …`), components included. Generators read a `default` as "always
 * present" (openapi-typescript's default `defaultNonNullable`), which would make a client send
 * every field the server fills in itself; in a request, a default is documentation.
 *
 * @example
 * moveRequestDefaultsToDescriptions(document); // TaskRequest.policy: optional, "Default / 默认: "lottery""
 */
export function moveRequestDefaultsToDescriptions(document: {
  readonly paths?: unknown;
  readonly components?: unknown;
}): void {
  const components = isNode(document.components) ? document.components : {};
  const schemas = isNode(components.schemas) ? components.schemas : {};
  const visited = new Set<unknown>();

  const visit = (node: unknown): void => {
    if (!isNode(node) || visited.has(node)) return;
    visited.add(node);
    const ref = node.$ref;
    if (typeof ref === 'string' && ref.startsWith('#/components/schemas/')) {
      visit(schemas[ref.slice('#/components/schemas/'.length)]);
    }
    const required = Array.isArray(node.required) ? node.required : [];
    if (isNode(node.properties)) {
      for (const [name, property] of Object.entries(node.properties)) {
        if (isNode(property) && 'default' in property && !required.includes(name)) {
          const note = `Default / 默认: ${JSON.stringify(property.default)}`;
          property.description =
            typeof property.description === 'string' ? `${property.description}. ${note}` : note;
          delete property.default;
        }
        visit(property);
      }
    }
    for (const key of CHILD_LISTS) {
      if (Array.isArray(node[key])) for (const child of node[key]) visit(child);
    }
    for (const key of CHILD_NODES) visit(node[key]);
  };

  for (const item of Object.values(isNode(document.paths) ? document.paths : {})) {
    if (!isNode(item)) continue;
    for (const operation of Object.values(item)) {
      if (!isNode(operation) || !isNode(operation.requestBody)) continue;
      const content = operation.requestBody.content;
      for (const media of Object.values(isNode(content) ? content : {})) {
        if (isNode(media)) visit(media.schema);
      }
    }
  }
}
