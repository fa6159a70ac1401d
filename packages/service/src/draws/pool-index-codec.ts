import { deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * One encoding of a sorted set of pool indices, named by its first character:
 * `v` gaps as LEB128 varints, `b` a bitmap (bit i of byte i>>3, least significant first),
 * `V` / `B` the same bytes deflated. The rest is base64.
 */
type Format = 'v' | 'b' | 'V' | 'B';

/** Below this many plain bytes a group is stored as it is. */
const MIN_DEFLATE_BYTES = 64;

/** Gaps between ascending indices (the first from -1), each as a LEB128 varint. */
function varintBytes(indices: readonly number[]): Uint8Array {
  const out: number[] = [];
  let previous = -1;
  for (const index of indices) {
    let gap = index - previous - 1;
    previous = index;
    while (gap >= 0x80) {
      out.push((gap & 0x7f) | 0x80);
      gap = Math.floor(gap / 0x80);
    }
    out.push(gap);
  }
  return Uint8Array.from(out);
}

function bitmapBytes(indices: readonly number[], poolSize: number): Uint8Array {
  const bytes = new Uint8Array(Math.ceil(poolSize / 8));
  for (const index of indices)
    bytes[index >> 3] = (bytes[index >> 3] as number) | (1 << (index & 7));
  return bytes;
}

/**
 * A short encoding of `indices` (strictly ascending, each in [0, poolSize)): the shorter of
 * gaps and bitmap — a sparse set takes a byte or so per index, a dense one a bit per pool
 * record — deflated when that is shorter still (closer to the set's entropy).
 *
 * @example
 * encodePoolIndices([2, 3, 9], 1_000); // 'vAgAF'
 */
export function encodePoolIndices(indices: readonly number[], poolSize: number): string {
  let previous = -1;
  for (const index of indices) {
    if (!Number.isInteger(index) || index <= previous || index >= poolSize)
      throw new RangeError(`pool indices must ascend within the pool of ${poolSize}`);
    previous = index;
  }
  // The shorter plain form, then deflated if that is shorter still; deflate is skipped for the
  // few bytes of a small group, where it cannot win and would cost more than the draw.
  const gaps = varintBytes(indices);
  const bitmapLength = Math.ceil(poolSize / 8);
  const [format, bytes]: [Format, Uint8Array] =
    bitmapLength < gaps.length ? ['b', bitmapBytes(indices, poolSize)] : ['v', gaps];
  let best = `${format}${Buffer.from(bytes).toString('base64')}`;
  if (bytes.length >= MIN_DEFLATE_BYTES) {
    const deflated = `${format.toUpperCase()}${deflateRawSync(bytes).toString('base64')}`;
    if (deflated.length < best.length) best = deflated;
  }
  return best;
}

/**
 * The indices an `encodePoolIndices` text stands for, ascending.
 *
 * @example
 * decodePoolIndices('vAgAF'); // [2, 3, 9]
 */
export function decodePoolIndices(text: string): number[] {
  const format = text.charAt(0);
  let bytes: Uint8Array = Buffer.from(text.slice(1), 'base64');
  if (format === 'V' || format === 'B') bytes = inflateRawSync(bytes);
  const indices: number[] = [];
  if (format === 'v' || format === 'V') {
    let previous = -1;
    let gap = 0;
    let scale = 1;
    for (const byte of bytes) {
      gap += (byte & 0x7f) * scale;
      if (byte & 0x80) {
        scale *= 0x80;
        continue;
      }
      previous += gap + 1;
      indices.push(previous);
      gap = 0;
      scale = 1;
    }
    return indices;
  }
  if (format === 'b' || format === 'B') {
    for (let i = 0; i < bytes.length; i++) {
      const byte = bytes[i] as number;
      if (byte === 0) continue;
      for (let bit = 0; bit < 8; bit++) if (byte & (1 << bit)) indices.push(i * 8 + bit);
    }
    return indices;
  }
  throw new RangeError(`unknown pool index encoding '${format}'`);
}
