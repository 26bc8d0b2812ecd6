/**
 * Reads an image's format, size and EXIF orientation from its first bytes, before anything is
 * decoded, so that files which are not images, are cut short, or would decode to a pixel bomb
 * are refused with a clear reason instead of stalling or crashing the decoder.
 *
 * Formats: PNG (IHDR), JPEG (SOFn + EXIF orientation), GIF (logical screen), WebP (VP8, VP8L,
 * VP8X), BMP (DIB header), AVIF (ispe property). HEIC, PDF and others are recognised only to
 * name them in the refusal.
 */

export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'webp' | 'bmp' | 'avif';

export interface ImageHeader {
  readonly format: ImageFormat;
  /** Stored size (before EXIF rotation). */
  readonly width: number;
  readonly height: number;
  /** EXIF orientation 1–8 (1 = as stored); 5–8 swap width and height when displayed. */
  readonly orientation: number;
}

export type HeaderResult =
  | { readonly ok: true; readonly header: ImageHeader }
  /** The bytes given end before the size is known: read more of the file and try again. */
  | { readonly ok: false; readonly needMore: true }
  | { readonly ok: false; readonly needMore: false; readonly reason: string };

const SUPPORTED = 'PNG, JPEG, WebP, GIF, BMP or AVIF';

function ascii(bytes: Uint8Array, start: number, length: number): string {
  let s = '';
  for (let i = start; i < start + length && i < bytes.length; i++)
    s += String.fromCharCode(bytes[i]);
  return s;
}

function fail(reason: string): HeaderResult {
  return { ok: false, needMore: false, reason };
}

function done(format: ImageFormat, width: number, height: number, orientation = 1): HeaderResult {
  if (!(width > 0 && height > 0)) return fail(`its ${format.toUpperCase()} header gives no size`);
  return { ok: true, header: { format, width, height, orientation } };
}

const NEED_MORE: HeaderResult = { ok: false, needMore: true };

/**
 * Parse the header in `bytes` (the start of a file whose full length is `fileSize`).
 * `needMore` only when `bytes` is shorter than the file; when the whole file is given and the
 * header is still incomplete, the file is truncated.
 */
export function readImageHeader(bytes: Uint8Array, fileSize: number = bytes.length): HeaderResult {
  const whole = bytes.length >= fileSize;
  const short = (): HeaderResult =>
    whole ? fail('it is truncated (the file ends inside its header)') : NEED_MORE;
  if (fileSize === 0) return fail('it is empty (0 bytes)');
  if (bytes.length < 12) return whole ? fail('it is too short to be an image') : NEED_MORE;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

  // PNG: signature, then IHDR with big-endian width and height.
  if (bytes[0] === 0x89 && ascii(bytes, 1, 3) === 'PNG') {
    if (bytes.length < 24) return short();
    if (ascii(bytes, 12, 4) !== 'IHDR') return fail('it is a damaged PNG (no IHDR chunk)');
    return done('png', view.getUint32(16), view.getUint32(20));
  }
  // GIF: logical screen size, little-endian.
  if (ascii(bytes, 0, 4) === 'GIF8') {
    return done('gif', view.getUint16(6, true), view.getUint16(8, true));
  }
  // BMP: BITMAPCOREHEADER (12 bytes, 16-bit sizes) or later headers (32-bit; negative height = top-down).
  if (ascii(bytes, 0, 2) === 'BM') {
    if (bytes.length < 26) return short();
    const dibSize = view.getUint32(14, true);
    if (dibSize === 12) return done('bmp', view.getUint16(18, true), view.getUint16(20, true));
    return done('bmp', Math.abs(view.getInt32(18, true)), Math.abs(view.getInt32(22, true)));
  }
  // WebP: RIFF….WEBP then one of three chunk kinds.
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') {
    if (bytes.length < 30) return short();
    const chunk = ascii(bytes, 12, 4);
    if (chunk === 'VP8X') {
      const w = 1 + (bytes[24] | (bytes[25] << 8) | (bytes[26] << 16));
      const h = 1 + (bytes[27] | (bytes[28] << 8) | (bytes[29] << 16));
      return done('webp', w, h);
    }
    if (chunk === 'VP8L') {
      if (bytes[20] !== 0x2f) return fail('it is a damaged WebP (bad lossless signature)');
      const b = view.getUint32(21, true);
      return done('webp', (b & 0x3fff) + 1, ((b >> 14) & 0x3fff) + 1);
    }
    if (chunk === 'VP8 ') {
      if (bytes[23] !== 0x9d || bytes[24] !== 0x01 || bytes[25] !== 0x2a) {
        return fail('it is a damaged WebP (bad key frame)');
      }
      return done('webp', view.getUint16(26, true) & 0x3fff, view.getUint16(28, true) & 0x3fff);
    }
    return fail(`it is a WebP with an unknown "${chunk}" chunk`);
  }
  // ISO base media (AVIF, HEIC): 'ftyp' box with brands.
  if (ascii(bytes, 4, 4) === 'ftyp') {
    const boxSize = view.getUint32(0);
    const brands = ascii(bytes, 8, Math.min(Math.max(boxSize, 16), bytes.length) - 8);
    if (/avi[fs]/.test(brands)) return readAvifSize(bytes, view, whole);
    if (/hei[cxms]|hev[cx]|mif1|msf1/.test(brands)) {
      return fail('it is a HEIC/HEIF photo, which this browser cannot decode; export it as JPEG');
    }
    return fail(`it is a video or ISO media file, not a ${SUPPORTED} image`);
  }
  // JPEG: walk the markers to the first SOFn; read the EXIF orientation on the way.
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return readJpegSize(bytes, view, whole);

  if (ascii(bytes, 0, 5) === '%PDF-') return fail(`it is a PDF document, not a ${SUPPORTED} image`);
  if (ascii(bytes, 0, 2) === 'II' || ascii(bytes, 0, 2) === 'MM') {
    return fail(`it is a TIFF image, which browsers cannot decode; use ${SUPPORTED}`);
  }
  if (/^\s*<(\?xml|svg)/i.test(ascii(bytes, 0, 12))) {
    return fail(`it is SVG/XML; only ${SUPPORTED} bitmaps are embedded`);
  }
  return fail(`it is not a ${SUPPORTED} image`);
}

function readJpegSize(bytes: Uint8Array, view: DataView, whole: boolean): HeaderResult {
  let orientation = 1;
  let p = 2;
  while (true) {
    if (p + 4 > bytes.length)
      return whole ? fail('it is a truncated JPEG (no frame header)') : NEED_MORE;
    if (bytes[p] !== 0xff) return fail('it is a damaged JPEG (bad marker)');
    const marker = bytes[p + 1];
    if (marker === 0xff) {
      p++; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      p += 2; // markers without a length
      continue;
    }
    if (marker === 0xd9 || marker === 0xda)
      return fail('it is a damaged JPEG (image data before its frame header)');
    const length = view.getUint16(p + 2);
    if (length < 2) return fail('it is a damaged JPEG (bad segment length)');
    const isSof =
      marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) {
      if (p + 9 > bytes.length) return whole ? fail('it is a truncated JPEG') : NEED_MORE;
      return done('jpeg', view.getUint16(p + 7), view.getUint16(p + 5), orientation);
    }
    if (marker === 0xe1 && p + 4 + length - 2 <= bytes.length) {
      orientation = exifOrientation(bytes, view, p + 4, length - 2) ?? orientation;
    }
    p += 2 + length;
  }
}

/** Orientation tag (0x0112) of the EXIF block at `start`, or null when absent or malformed. */
function exifOrientation(
  bytes: Uint8Array,
  view: DataView,
  start: number,
  length: number,
): number | null {
  if (length < 14 || ascii(bytes, start, 6) !== 'Exif\0\0') return null;
  const tiff = start + 6;
  const end = start + length;
  const order = ascii(bytes, tiff, 2);
  if (order !== 'II' && order !== 'MM') return null;
  const le = order === 'II';
  const ifd = tiff + view.getUint32(tiff + 4, le);
  if (ifd + 2 > end) return null;
  const entries = view.getUint16(ifd, le);
  for (let i = 0; i < entries; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > end) return null;
    if (view.getUint16(entry, le) === 0x0112) {
      const value = view.getUint16(entry + 8, le);
      return value >= 1 && value <= 8 ? value : null;
    }
  }
  return null;
}

/** AVIF: the first 'ispe' (image spatial extents) property box holds width and height. */
function readAvifSize(bytes: Uint8Array, view: DataView, whole: boolean): HeaderResult {
  for (let p = 12; p + 16 <= bytes.length; p++) {
    if (bytes[p] === 0x69 && ascii(bytes, p, 4) === 'ispe') {
      return done('avif', view.getUint32(p + 8), view.getUint32(p + 12));
    }
  }
  return whole ? fail('it is a damaged AVIF (no image size)') : NEED_MORE;
}

/**
 * Whether the end of the file looks like the end of an image of `format` (`tail`: the file's
 * last bytes, up to 4 KiB; `fileSize`: its length; `head`: its first bytes). Catches downloads
 * cut short, which decoders would otherwise show as half-grey pictures.
 */
export function looksComplete(
  format: ImageFormat,
  head: Uint8Array,
  tail: Uint8Array,
  fileSize: number,
): boolean {
  const headView = new DataView(head.buffer, head.byteOffset, head.byteLength);
  switch (format) {
    case 'png':
      // IEND chunk: 'IEND' + CRC, possibly followed by junk some tools append.
      for (let i = tail.length - 8; i >= 0; i--) if (ascii(tail, i, 4) === 'IEND') return true;
      return false;
    case 'jpeg':
      for (let i = tail.length - 2; i >= 0; i--)
        if (tail[i] === 0xff && tail[i + 1] === 0xd9) return true;
      return false;
    case 'gif':
      // The trailer byte ';' (0x3B), allowing padding zeros after it.
      for (let i = tail.length - 1; i >= 0; i--) {
        if (tail[i] === 0x3b) return true;
        if (tail[i] !== 0) return false;
      }
      return false;
    case 'webp':
      return head.length >= 8 && headView.getUint32(4, true) + 8 <= fileSize;
    case 'bmp': {
      if (head.length < 14) return false;
      const declared = headView.getUint32(2, true);
      const pixelOffset = headView.getUint32(10, true);
      // Some writers put 0 in the size field; the pixel data must at least start inside the file.
      return (declared === 0 || declared <= fileSize) && pixelOffset < fileSize;
    }
    case 'avif':
      return true; // box sizes are checked by the decoder itself, which fails loudly
  }
}
