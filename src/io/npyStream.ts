/**
 * Reading a `.npy` matrix a block of rows at a time, for files larger than memory (Node only:
 * it reads through a file descriptor, so it is not exported from src/io/index.ts, which the page
 * bundles).
 *
 * The header is parsed by readNpyHeader (npy.ts), and the file size is checked against the shape
 * before any row is read, so a truncated file is refused when it is opened, not hours into a run.
 * Rows are converted to float32 as they are read: float16 through a 65,536-entry table (one look-up
 * per value), float32 little-endian by a plain copy, anything else through a DataView.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { formatCount, NpyError } from './errors.ts';
import { fromFloat16Bits } from './float16.ts';
import {
  formatNpyShape,
  npyItemSize,
  NPY_MAX_PREAMBLE_BYTES,
  readNpyHeader,
  type NpyDtype,
} from './npy.ts';

export interface NpyRowReader {
  readonly path: string;
  /** Rows (the first axis). */
  readonly n: number;
  /** Values per row (the second axis). */
  readonly d: number;
  readonly dtype: NpyDtype;
  /** Bytes of the whole file. */
  readonly fileBytes: number;
  /** Copy rows start..start+count−1 into `out` (at least count·d floats) as float32. */
  read(start: number, count: number, out: Float32Array): void;
  /** Copy the rows at the given indices (any order) into `out`, one after another. */
  readAt(rows: ArrayLike<number>, out: Float32Array): void;
  /** Close the file; the reader is unusable afterwards. */
  close(): void;
}

let halfTable: Float32Array | null = null;

/** Every float16 bit pattern's value, built on first use (256 KiB). */
function float16Table(): Float32Array {
  if (!halfTable) {
    halfTable = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) halfTable[h] = fromFloat16Bits(h);
  }
  return halfTable;
}

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Open a 2-D C-order `.npy` file of float16, float32 or float64 for reading by rows. Throws
 * NpyError for anything readNpy would refuse, for arrays that are not 2-D, and for files shorter
 * than their header says.
 */
export function openNpyRows(path: string): NpyRowReader {
  // O_NONBLOCK: opening a FIFO without a writer would otherwise wait forever; it is then refused
  // with devices and sockets below, as src/cli/files.ts readInputFile refuses them.
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) {
      throw new NpyError(`${path} is not a regular file (a folder, FIFO, device or socket)`);
    }
    const fileBytes = info.size;
    const head = Buffer.alloc(Math.min(fileBytes, NPY_MAX_PREAMBLE_BYTES));
    readFully(fd, head, 0);
    const header = readNpyHeader(new Uint8Array(head.buffer, head.byteOffset, head.length));
    const { shape, dtype, littleEndian, fortran, dataStart } = header;
    if (shape.length !== 2) {
      throw new NpyError(
        `streaming reads 2-D arrays of shape (rows, dims); this one is ${formatNpyShape(shape)}`,
      );
    }
    const [n, d] = shape;
    if (fortran && n > 1 && d > 1) {
      throw new NpyError(
        'fortran_order=True (column-major) arrays are not supported; save with np.ascontiguousarray(a)',
      );
    }
    const item = npyItemSize(dtype);
    const rowBytes = d * item;
    const available = Math.floor((fileBytes - dataStart) / item);
    if (n * d > available) {
      throw new NpyError(
        `file is truncated: header says ${formatCount(n * d)} values ${formatNpyShape(shape)}, file holds ${formatCount(available)}`,
      );
    }
    let buffer = Buffer.alloc(0);
    const table = dtype === 'f2' ? float16Table() : null;
    const plainF4 = dtype === 'f4' && littleEndian === HOST_LITTLE_ENDIAN;

    /** Convert `count` rows of raw bytes at buffer offset 0 into out at float offset `at`. */
    const convert = (count: number, out: Float32Array, at: number) => {
      const values = count * d;
      if (table) {
        if (littleEndian === HOST_LITTLE_ENDIAN && buffer.byteOffset % 2 === 0) {
          const halves = new Uint16Array(buffer.buffer, buffer.byteOffset, values);
          for (let i = 0; i < values; i++) out[at + i] = table[halves[i]];
        } else {
          for (let i = 0; i < values; i++) {
            out[at + i] = table[littleEndian ? buffer.readUInt16LE(2 * i) : buffer.readUInt16BE(2 * i)]; // prettier-ignore
          }
        }
      } else if (plainF4 && buffer.byteOffset % 4 === 0) {
        out.set(new Float32Array(buffer.buffer, buffer.byteOffset, values), at);
      } else {
        const view = new DataView(buffer.buffer, buffer.byteOffset, values * item);
        for (let i = 0; i < values; i++) {
          out[at + i] =
            dtype === 'f8'
              ? view.getFloat64(8 * i, littleEndian)
              : view.getFloat32(4 * i, littleEndian);
        }
      }
    };
    const ensure = (bytes: number) => {
      if (buffer.length < bytes) buffer = Buffer.alloc(bytes);
    };
    const checkOut = (count: number, out: Float32Array) => {
      if (out.length < count * d) {
        throw new RangeError(`out holds ${out.length} floats, need ${count}×${d}`);
      }
    };
    let open = true;
    const checkOpen = () => {
      if (!open) throw new RangeError(`${path} is closed`);
    };

    return {
      path,
      n,
      d,
      dtype,
      fileBytes,
      read(start, count, out) {
        checkOpen();
        if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0) {
          throw new RangeError(`rows ${start}+${count} are not a row range`);
        }
        if (start + count > n) {
          throw new RangeError(
            `rows ${start}..${start + count - 1} are past the last row ${n - 1}`,
          );
        }
        checkOut(count, out);
        if (count === 0) return;
        ensure(count * rowBytes);
        readFully(fd, buffer.subarray(0, count * rowBytes), dataStart + start * rowBytes);
        convert(count, out, 0);
      },
      readAt(rows, out) {
        checkOpen();
        checkOut(rows.length, out);
        ensure(rowBytes);
        for (let r = 0; r < rows.length; r++) {
          const row = rows[r];
          if (!Number.isInteger(row) || row < 0 || row >= n) {
            throw new RangeError(`row ${row} is outside 0..${n - 1}`);
          }
          readFully(fd, buffer.subarray(0, rowBytes), dataStart + row * rowBytes);
          convert(1, out, r * d);
        }
      },
      close() {
        if (open) closeSync(fd);
        open = false;
      },
    };
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}

/** Fill `target` from file position `position`; a short read means the file shrank under us. */
function readFully(fd: number, target: Buffer, position: number): void {
  let done = 0;
  while (done < target.length) {
    const got = readSync(fd, target, done, target.length - done, position + done);
    if (got === 0) {
      throw new NpyError(
        `file is truncated: it ended ${formatCount(target.length - done)} bytes early (changed while reading?)`,
      );
    }
    done += got;
  }
}

/** Rows per chunk so one float32 chunk takes about `bytes` (default 32 MiB), at least 1. */
export function rowsPerChunk(d: number, bytes = 32 * 2 ** 20): number {
  return Math.max(1, Math.floor(bytes / (4 * d)));
}
