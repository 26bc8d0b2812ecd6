/**
 * Decoding for the embed worker (browser workers only: createImageBitmap and OffscreenCanvas;
 * Node reads images with transformers.js's RawImage instead). The file is decoded straight to
 * the size CLIP's processor resizes to, EXIF orientation applied, so a 40-megapixel photo never
 * exists at full size in memory; a small JPEG thumbnail is drawn from the same bitmap.
 */
import type { PixelImage } from './clip.ts';
import { fitLongestSide, fitShortestSide, type Size } from './imageGeometry.ts';

export interface DecodedImage {
  readonly pixels: PixelImage;
  readonly thumbnail: Blob;
}

/** Longest side of thumbnails, in pixels. */
const THUMBNAIL_SIZE = 96;

/**
 * Decode `blob` (already inspected: `displayed` is its size after EXIF rotation) to RGBA with
 * its shorter side `shortestEdge` (never enlarged), plus a JPEG thumbnail. Throws the browser's
 * decode error for files that are damaged inside.
 */
export async function decodeForClip(
  blob: Blob,
  displayed: Size,
  shortestEdge: number,
): Promise<DecodedImage> {
  const target = fitShortestSide(displayed, shortestEdge);
  const bitmap = await createImageBitmap(blob, {
    resizeWidth: target.width,
    resizeHeight: target.height,
    resizeQuality: 'high',
    imageOrientation: 'from-image',
  });
  try {
    const { width, height } = bitmap;
    const canvas = new OffscreenCanvas(width, height);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('no 2D canvas in this worker');
    ctx.drawImage(bitmap, 0, 0);
    const data = ctx.getImageData(0, 0, width, height).data;

    const thumbSize = fitLongestSide({ width, height }, THUMBNAIL_SIZE);
    const thumbCanvas = new OffscreenCanvas(thumbSize.width, thumbSize.height);
    const thumbCtx = thumbCanvas.getContext('2d');
    if (!thumbCtx) throw new Error('no 2D canvas in this worker');
    thumbCtx.imageSmoothingQuality = 'high';
    thumbCtx.drawImage(bitmap, 0, 0, thumbSize.width, thumbSize.height);
    const thumbnail = await thumbCanvas.convertToBlob({ type: 'image/jpeg', quality: 0.8 });
    return { pixels: { data, width, height, channels: 4 }, thumbnail };
  } finally {
    bitmap.close();
  }
}
