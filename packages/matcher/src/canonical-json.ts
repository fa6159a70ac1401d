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
  const parts: string[] = [];
  write(value, parts);
  return parts.join('');
}

function write(value: unknown, out: string[]): void {
  if (value === null || typeof value !== 'object') {
    out.push(value === undefined ? 'null' : JSON.stringify(value));
    return;
  }
  if (value instanceof Date) {
    out.push(JSON.stringify(value.toISOString()));
    return;
  }
  if (Array.isArray(value)) {
    out.push('[');
    value.forEach((item, index) => {
      if (index > 0) out.push(',');
      write(item === undefined ? null : item, out);
    });
    out.push(']');
    return;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort(compareCodeUnits);
  out.push('{');
  keys.forEach((key, index) => {
    if (index > 0) out.push(',');
    out.push(JSON.stringify(key), ':');
    write(record[key], out);
  });
  out.push('}');
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
 * SHA-256 of `canonicalJson(list)` computed item by item, so that a pool of 100 000 experts is
 * hashed without building one huge string. Equal to `sha256Hex(canonicalJson(list))`.
 *
 * @example
 * digestList([1, 2]) === sha256Hex('[1,2]'); // true
 */
export function digestList(list: readonly unknown[]): string {
  const hash = sha256.create();
  hash.update(encoder.encode('['));
  list.forEach((item, index) => {
    const text = canonicalJson(item === undefined ? null : item);
    hash.update(encoder.encode(index > 0 ? `,${text}` : text));
  });
  hash.update(encoder.encode(']'));
  return toHex(hash.digest());
}

function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
