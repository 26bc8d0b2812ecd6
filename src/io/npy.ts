/**
 * NumPy `.npy` reader and writer (format spec: numpy/lib/format.py, "NPY format").
 *
 * Layout: magic `\x93NUMPY`, major and minor version bytes, header length (u16 LE in v1.0,
 * u32 LE in v2.0/v3.0), then a Python-literal dict `{'descr', 'fortran_order', 'shape'}` padded
 * with spaces and a newline so the data starts on a 64-byte boundary, then the raw array.
 * v1/v2 headers are latin-1, v3 headers UTF-8.
 *
 * Reads float16/32/64 in either byte order, C order only, into a Float32Array (float64 is
 * narrowed: embeddings never need more). Every size is checked against the file before any
 * allocation, so a header claiming 10^9 rows on a 1 KB file is refused, not attempted.
 */
import { formatCount, NpyError } from './errors.ts';
import { float32ToFloat16Array, fromFloat16Bits } from './float16.ts';
import { parsePythonLiteral, PyLiteralError, type PyValue } from './pyLiteral.ts';

export type NpyDtype = 'f2' | 'f4' | 'f8';

export interface NpyArray {
  /** The values in C (row-major) order, as float32. */
  readonly data: Float32Array;
  /** Array shape; [] for a 0-d scalar. */
  readonly shape: number[];
  /** The element type the file stored. */
  readonly dtype: NpyDtype;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const ITEM_SIZE: Record<NpyDtype, number> = { f2: 2, f4: 4, f8: 8 };
/** Header dicts are a few hundred bytes; cap what we are willing to decode and parse. */
const MAX_HEADER_BYTES = 1 << 20;
const DTYPE_NAMES = 'float16, float32 and float64';
const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function formatShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

function parseHeader(text: string): {
  dtype: NpyDtype;
  littleEndian: boolean;
  shape: number[];
  fortran: boolean;
} {
  let value: PyValue;
  try {
    value = parsePythonLiteral(text);
  } catch (e) {
    if (e instanceof PyLiteralError) throw new NpyError(`malformed .npy header: ${e.message}`);
    throw e;
  }
  if (value === null || typeof value !== 'object' || value.kind !== 'dict') {
    throw new NpyError('malformed .npy header: it is not a dict');
  }
  const keys = [...value.entries.keys()].sort();
  if (keys.join(',') !== 'descr,fortran_order,shape') {
    throw new NpyError(
      `malformed .npy header: expected keys descr, fortran_order, shape; got ${keys.join(', ') || 'none'}`,
    );
  }
  const descr = value.entries.get('descr');
  if (typeof descr !== 'string') {
    throw new NpyError(
      `unsupported dtype (structured or record arrays); SDR Explorer reads ${DTYPE_NAMES} .npy files`,
    );
  }
  const m = /^([<>])f([248])$/.exec(descr);
  if (!m) {
    throw new NpyError(
      `unsupported dtype '${descr.slice(0, 40)}'; SDR Explorer reads ${DTYPE_NAMES} .npy files`,
    );
  }
  const fortran = value.entries.get('fortran_order');
  if (typeof fortran !== 'boolean') {
    throw new NpyError('malformed .npy header: fortran_order must be True or False');
  }
  const shapeValue = value.entries.get('shape');
  if (shapeValue === null || typeof shapeValue !== 'object' || shapeValue.kind !== 'tuple') {
    throw new NpyError('malformed .npy header: shape must be a tuple of integers');
  }
  if (shapeValue.items.length > 32) {
    throw new NpyError(
      `malformed .npy header: ${shapeValue.items.length} dimensions (numpy allows 32)`,
    );
  }
  const shape: number[] = [];
  for (const v of shapeValue.items) {
    if (typeof v !== 'number' || v < 0) {
      throw new NpyError('malformed .npy header: shape must be a tuple of non-negative integers');
    }
    shape.push(v);
  }
  return { dtype: `f${m[2]}` as NpyDtype, littleEndian: m[1] === '<', shape, fortran };
}

/** What a `.npy` header says, and where its data starts. */
export interface NpyHeader {
  readonly dtype: NpyDtype;
  readonly littleEndian: boolean;
  readonly shape: number[];
  readonly fortran: boolean;
  /** Byte offset of the first value. */
  readonly dataStart: number;
}

/**
 * Parse the preamble and header of a `.npy` file from its first bytes (the whole file, or a
 * prefix of at least the header: a streaming reader passes the first MAX_HEADER_BYTES + 12).
 */
export function readNpyHeader(bytes: Uint8Array): NpyHeader {
  if (bytes.length === 0) throw new NpyError('the .npy file is empty');
  for (let i = 0; i < Math.min(MAGIC.length, bytes.length); i++) {
    if (bytes[i] !== MAGIC[i]) {
      throw new NpyError('not a .npy file: it does not start with \\x93NUMPY');
    }
  }
  if (bytes.length < 10) throw new NpyError('file is truncated: the .npy preamble is incomplete');
  const major = bytes[6];
  const minor = bytes[7];
  if (major < 1 || major > 3 || minor !== 0) {
    throw new NpyError(
      `unsupported .npy format version ${major}.${minor} (reads 1.0, 2.0 and 3.0)`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const prefix = major === 1 ? 10 : 12;
  if (bytes.length < prefix)
    throw new NpyError('file is truncated: the .npy preamble is incomplete');
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (headerLength > MAX_HEADER_BYTES) {
    throw new NpyError(
      `malformed .npy header: it claims ${headerLength} bytes (at most ${MAX_HEADER_BYTES})`,
    );
  }
  if (prefix + headerLength > bytes.length) {
    throw new NpyError(
      `file is truncated: the header needs ${headerLength} bytes, the file holds ${bytes.length - prefix} after the preamble`,
    );
  }
  const headerBytes = bytes.subarray(prefix, prefix + headerLength);
  let headerText: string;
  try {
    headerText = new TextDecoder(major === 3 ? 'utf-8' : 'latin1', { fatal: true }).decode(
      headerBytes,
    );
  } catch {
    throw new NpyError('malformed .npy header: it is not valid UTF-8');
  }
  return { ...parseHeader(headerText), dataStart: prefix + headerLength };
}

/** Largest header prefix readNpyHeader may need: the preamble plus the biggest header allowed. */
export const NPY_MAX_PREAMBLE_BYTES = 12 + MAX_HEADER_BYTES;

/** Item size in bytes of each dtype. */
export function npyItemSize(dtype: NpyDtype): number {
  return ITEM_SIZE[dtype];
}

/** "(n, d)" as numpy prints a shape. */
export function formatNpyShape(shape: readonly number[]): string {
  return formatShape(shape);
}

export interface ReadNpyOptions {
  /**
   * Let the returned array share `bytes`' buffer when the values can be used where they lie
   * (little-endian float32, 4-byte aligned), instead of copying them: for a caller that hands
   * its bytes over and uses them for nothing else. Default false (the array is always new).
   */
  readonly shareBytes?: boolean;
}

/** Read a `.npy` file. Throws `NpyError` with a one-line reason for anything it cannot read. */
export function readNpy(bytes: Uint8Array, options: ReadNpyOptions = {}): NpyArray {
  const { dtype, littleEndian, shape, fortran, dataStart } = readNpyHeader(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

  const itemSize = ITEM_SIZE[dtype];
  const available = Math.floor((bytes.length - dataStart) / itemSize);
  let count = 1;
  for (const s of shape) count *= s; // may exceed 2^53 for hostile shapes; still > available
  if (count > available) {
    throw new NpyError(
      `file is truncated: header says ${formatCount(count)} values ${formatShape(shape)}, file holds ${formatCount(available)}`,
    );
  }
  if (fortran && shape.filter((s) => s > 1).length > 1) {
    // Column-major data of more than one non-trivial axis would need transposing; with at most
    // one axis longer than 1, both orders lay the values out identically.
    throw new NpyError(
      'fortran_order=True (column-major) arrays are not supported; save with np.ascontiguousarray(a)',
    );
  }

  const inPlace =
    dtype === 'f4' &&
    littleEndian &&
    HOST_LITTLE_ENDIAN &&
    (bytes.byteOffset + dataStart) % 4 === 0;
  if (inPlace && options.shareBytes) {
    // The caller handed its bytes over: the values are used where they lie (a 100,000 × 512
    // file is 200 MB not allocated and copied again).
    return { data: new Float32Array(bytes.buffer, bytes.byteOffset + dataStart, count), shape, dtype }; // prettier-ignore
  }
  const data = new Float32Array(count);
  if (dtype === 'f2') {
    for (let i = 0, o = dataStart; i < count; i++, o += 2) {
      data[i] = fromFloat16Bits(view.getUint16(o, littleEndian));
    }
  } else if (inPlace) {
    // The common case (np.save pads the header to 64 bytes): one block copy, not a call per value.
    data.set(new Float32Array(bytes.buffer, bytes.byteOffset + dataStart, count));
  } else if (dtype === 'f4') {
    for (let i = 0, o = dataStart; i < count; i++, o += 4)
      data[i] = view.getFloat32(o, littleEndian);
  } else {
    for (let i = 0, o = dataStart; i < count; i++, o += 8)
      data[i] = view.getFloat64(o, littleEndian);
  }
  return { data, shape, dtype };
}

/**
 * The preamble and header np.save writes for a little-endian C-order array of `shape` and
 * `dtype`: what a writer that streams the values after it needs first.
 */
export function npyHeaderBytes(shape: readonly number[], dtype: 'f4' | 'f2'): Uint8Array {
  let dict = `{'descr': '<${dtype}', 'fortran_order': False, 'shape': ${formatShape(shape)}, }`;
  // numpy leaves room for the first axis to reach 21 digits so appends can rewrite the header in place.
  if (shape.length > 0) dict += ' '.repeat(Math.max(0, 21 - String(shape[0]).length));
  const encoded = new TextEncoder().encode(dict); // ASCII: digits, quotes, letters
  let major = 1;
  let prefix = 10;
  let pad = 64 - ((prefix + encoded.length + 1) % 64);
  if (encoded.length + 1 + pad > 0xffff) {
    major = 2;
    prefix = 12;
    pad = 64 - ((prefix + encoded.length + 1) % 64);
  }
  const headerLength = encoded.length + pad + 1;
  const out = new Uint8Array(prefix + headerLength);
  out.set(MAGIC, 0);
  out[6] = major;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, headerLength, true);
  else view.setUint32(8, headerLength, true);
  out.set(encoded, prefix);
  out.fill(0x20, prefix + encoded.length, prefix + headerLength - 1);
  out[prefix + headerLength - 1] = 0x0a;
  return out;
}

export interface WriteNpyOptions {
  /** Element type written: 'f4' (float32, default) or 'f2' (float16, round to nearest even). */
  readonly dtype?: 'f4' | 'f2';
}

/**
 * Write `data` with `shape` as a little-endian, C-order `.npy` file, version 1.0 (2.0 only if the
 * header outgrows 65,535 bytes), byte-for-byte as `np.save` writes it: the header dict in sorted
 * key order, spare spaces for the first axis to grow, padding to a 64-byte boundary.
 */
export function writeNpy(
  data: Float32Array,
  shape: readonly number[],
  options: WriteNpyOptions = {},
): Uint8Array {
  const dtype = options.dtype ?? 'f4';
  if (dtype !== 'f4' && dtype !== 'f2')
    throw new NpyError(`writeNpy writes 'f4' or 'f2', got '${String(dtype)}'`);
  let count = 1;
  for (const s of shape) {
    if (!Number.isSafeInteger(s) || s < 0)
      throw new NpyError(`shape ${formatShape(shape)} must hold non-negative integers`);
    count *= s;
  }
  if (count !== data.length) {
    throw new NpyError(
      `shape ${formatShape(shape)} holds ${count} values, data has ${data.length}`,
    );
  }
  const header = npyHeaderBytes(shape, dtype);
  const itemSize = dtype === 'f4' ? 4 : 2;
  const out = new Uint8Array(header.length + count * itemSize);
  out.set(header, 0);
  const view = new DataView(out.buffer);
  const start = header.length;
  if (dtype === 'f4') {
    for (let i = 0; i < count; i++) view.setFloat32(start + 4 * i, data[i], true);
  } else {
    const halves = float32ToFloat16Array(data);
    for (let i = 0; i < count; i++) view.setUint16(start + 2 * i, halves[i], true);
  }
  return out;
}
