/**
 * Checks a file before decoding it: recognised image format, complete, and not a pixel bomb.
 * Reads only the header (and the last 4 KiB), never the whole picture.
 */
import { looksComplete, readImageHeader, type ImageHeader } from './imageHeader.ts';
import { orientedSize, type Size } from './imageGeometry.ts';

export type Inspection =
  | { readonly ok: true; readonly header: ImageHeader; readonly displayed: Size }
  | { readonly ok: false; readonly reason: string };

/** First read; JPEGs with large EXIF/ICC blocks ahead of the frame header get more. */
const FIRST_READ = 64 * 1024;
const TAIL = 4 * 1024;

async function bytesOf(blob: Blob, start: number, end: number): Promise<Uint8Array> {
  return new Uint8Array(await blob.slice(start, end).arrayBuffer());
}

/**
 * Inspect `blob`. `maxMegapixels` (default 100, any positive number): larger images are
 * refused, since decoding one takes 4 bytes a pixel (400 MB at 100 MP) before it is shrunk.
 */
export async function inspectImage(blob: Blob, maxMegapixels = 100): Promise<Inspection> {
  if (blob.size === 0) return { ok: false, reason: 'it is empty (0 bytes)' };
  let length = Math.min(blob.size, FIRST_READ);
  let head = await bytesOf(blob, 0, length);
  let parsed = readImageHeader(head, blob.size);
  while (!parsed.ok && parsed.needMore) {
    length = Math.min(blob.size, length * 8);
    head = await bytesOf(blob, 0, length);
    parsed = readImageHeader(head, blob.size);
  }
  if (!parsed.ok) return { ok: false, reason: parsed.reason };
  const { header } = parsed;
  const pixels = header.width * header.height;
  if (pixels > maxMegapixels * 1e6) {
    const mp = (pixels / 1e6).toFixed(pixels >= 1e8 ? 0 : 1);
    return {
      ok: false,
      reason: `it is ${mp} megapixels (${header.width}×${header.height}); the limit is ${maxMegapixels}`,
    };
  }
  const tail = await bytesOf(blob, Math.max(0, blob.size - TAIL), blob.size);
  if (!looksComplete(header.format, head, tail, blob.size)) {
    return {
      ok: false,
      reason: `it is a truncated ${header.format.toUpperCase()} (the file ends too early)`,
    };
  }
  return {
    ok: true,
    header,
    displayed: orientedSize(header.width, header.height, header.orientation),
  };
}
