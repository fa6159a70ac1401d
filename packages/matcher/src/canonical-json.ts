import { sha256 } from '@noble/hashes/sha2.js';

/**
 * JSON with object keys sorted by code unit and no whitespace, so that equal values always give
 * equal text on every machine. `undefined` members are left out as `JSON.stringify` does; a Date
 * becomes its ISO string.
 *
 * @example
 * canonicalJson({ b: 1, a: [true, null] }); // '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  // Most values (every expert record) are plain data: a key-sorted copy written by the native
  // JSON.stringify gives the same text several times faster; anything else is written here.
  const copy = sortedCopy(value);
  return copy === UNSAFE ? write(value) : (JSON.stringify(copy) ?? '');
}

/** Marks a value whose native JSON would differ from the canonical text. */
const UNSAFE: unique symbol = Symbol('unsafe');

/**
 * A copy of plain data with object keys inserted in code-unit order, or UNSAFE where
 * JSON.stringify would not write the canonical text: functions, symbols, bigints, array holes,
 * `toJSON` other than a Date's, boxed primitives, and integer-like keys (which objects keep in
 * numeric order whatever the insertion order).
 */
function sortedCopy(value: unknown): unknown {
  if (value === null) return null;
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return value;
    case 'object':
      break;
    default:
      return UNSAFE;
  }
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let index = 0; index < value.length; index++) {
      if (!(index in value)) return UNSAFE;
      const item: unknown = value[index];
      const copy = item === undefined ? null : sortedCopy(item);
      if (copy === UNSAFE) return UNSAFE;
      out[index] = copy;
    }
    return out;
  }
  if (
    'toJSON' in value ||
    value instanceof Number ||
    value instanceof String ||
    value instanceof Boolean
  )
    return UNSAFE;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (!isSorted(keys)) keys.sort(compareCodeUnits);
  const out: Record<string, unknown> = Object.create(null);
  for (const key of keys) {
    const code = key.charCodeAt(0);
    if (code >= 48 && code <= 57) return UNSAFE;
    const member = record[key];
    if (member === undefined) continue;
    const copy = sortedCopy(member);
    if (copy === UNSAFE) return UNSAFE;
    out[key] = copy;
  }
  return out;
}

// One string built by concatenation (V8 ropes) instead of an array of parts joined: a pool of
// 100,000 experts is 60 MB of text, and this is most of `preparePool`'s time (#17). The output
// is the same as the parts version it replaced, byte for byte (property test in
// canonical-json.test.ts), so every stored digest still verifies.
function write(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
      return 'null';
    case 'object':
      break;
    default:
      // bigint throws as JSON.stringify does; a function or symbol writes nothing.
      return JSON.stringify(value) ?? '';
  }
  if (value === null) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) {
    let out = '[';
    for (let index = 0; index < value.length; index++) {
      // A hole is skipped (as forEach did), but its comma stays.
      if (!(index in value)) continue;
      if (index > 0) out += ',';
      const item: unknown = value[index];
      out += write(item === undefined ? null : item);
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (!isSorted(keys)) keys.sort(compareCodeUnits);
  let out = '{';
  let first = true;
  for (const key of keys) {
    const member = record[key];
    if (member === undefined) continue;
    out += first ? `${JSON.stringify(key)}:` : `,${JSON.stringify(key)}:`;
    first = false;
    out += write(member);
  }
  return `${out}}`;
}

function isSorted(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++)
    if ((keys[i - 1] as string) > (keys[i] as string)) return false;
  return true;
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const encoder = new TextEncoder();

/**
 * Lowercase hex SHA-256 of a string's UTF-8 bytes.
 *
 * @example
 * sha256Hex(''); // 'e3b0c442…b855'
 */
export function sha256Hex(text: string): string {
  return toHex(sha256(encoder.encode(text)));
}

/**
 * A streaming SHA-256 as `node:crypto`'s `createHash('sha256')` is one: the matcher takes it
 * from its caller so that it stays free of Node imports, and hashes with @noble/hashes without.
 */
export interface Sha256Stream {
  update(text: string): unknown;
  digest(encoding: 'hex'): string;
}

/** Text handed to a caller's hash at a time, in code units. */
const TEXT_CHUNK = 1 << 20;

/**
 * `sha256Hex(text)` through a caller's streaming hash (e.g. `node:crypto`'s, much faster on the
 * tens of megabytes of a large history), in chunks; the same digest.
 *
 * @example
 * sha256HexWith('[1,2]', () => createHash('sha256')) === sha256Hex('[1,2]'); // true
 */
export function sha256HexWith(text: string, sha256Stream?: () => Sha256Stream): string {
  if (sha256Stream === undefined) return sha256Hex(text);
  const hash = sha256Stream();
  let at = 0;
  while (at < text.length) {
    // A chunk never ends between the two halves of a surrogate pair (UTF-8 needs both).
    let end = Math.min(text.length, at + TEXT_CHUNK);
    const code = text.charCodeAt(end - 1);
    if (end < text.length && code >= 0xd800 && code <= 0xdbff) end++;
    hash.update(text.slice(at, end));
    at = end;
  }
  return hash.digest('hex');
}

/** Text is handed to the hash in chunks of about this many code units: fewer, larger calls. */
const CHUNK = 1 << 20;

function nobleStream(): Sha256Stream {
  const hash = sha256.create();
  return {
    update: (text) => hash.update(encoder.encode(text)),
    digest: () => toHex(hash.digest()),
  };
}

/**
 * SHA-256 of `canonicalJson(list)` computed item by item, so that a pool of 100 000 experts is
 * hashed without building one huge string. Equal to `sha256Hex(canonicalJson(list))`, whichever
 * hash is passed (a faster native one, e.g. `() => createHash('sha256')`, in the service).
 *
 * @example
 * digestList([1, 2]) === sha256Hex('[1,2]'); // true
 */
export function digestList(
  list: readonly unknown[],
  sha256Stream: () => Sha256Stream = nobleStream,
  /** A writer equal to canonicalJson for every value, faster on the list's items. */
  write: (item: unknown) => string = canonicalJson,
): string {
  const hash = sha256Stream();
  let chunk = '[';
  list.forEach((item, index) => {
    const text = write(item === undefined ? null : item);
    chunk += index > 0 ? `,${text}` : text;
    if (chunk.length >= CHUNK) {
      hash.update(chunk);
      chunk = '';
    }
  });
  hash.update(`${chunk}]`);
  return hash.digest('hex');
}

function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
