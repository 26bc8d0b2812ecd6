/** Sizes for decoding straight to what CLIP needs, and for thumbnails. */

export interface Size {
  readonly width: number;
  readonly height: number;
}

/** The size as displayed: EXIF orientations 5–8 turn the picture a quarter, swapping sides. */
export function orientedSize(width: number, height: number, orientation: number): Size {
  return orientation >= 5 && orientation <= 8
    ? { width: height, height: width }
    : { width, height };
}

/**
 * Scale so the shorter side is `target` (CLIP resizes the shortest edge, then centre-crops),
 * keeping the aspect ratio; never enlarges (the processor upsamples small images itself).
 */
export function fitShortestSide(size: Size, target: number): Size {
  const short = Math.min(size.width, size.height);
  if (short <= target) return size;
  const scale = target / short;
  return {
    width: Math.max(1, Math.round(size.width * scale)),
    height: Math.max(1, Math.round(size.height * scale)),
  };
}

/** Scale so the longer side is at most `max`, keeping the aspect ratio; never enlarges. */
export function fitLongestSide(size: Size, max: number): Size {
  const long = Math.max(size.width, size.height);
  if (long <= max) return size;
  const scale = max / long;
  return {
    width: Math.max(1, Math.round(size.width * scale)),
    height: Math.max(1, Math.round(size.height * scale)),
  };
}
