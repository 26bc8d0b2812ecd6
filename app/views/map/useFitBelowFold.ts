import { useLayoutEffect, useState, type RefObject } from 'react';

/**
 * The largest side, in CSS pixels, a square placed where `ref`'s element starts can have and
 * still end above the fold (the window's bottom, less `marginPx`), at least `minPx`: the map is
 * the picture a person comes for, so it is sized to be seen whole without scrolling. Follows
 * window resizes and anything above it growing or shrinking (a status line, a wrapped toolbar).
 * null until measured (and where the page cannot measure).
 */
export function useFitBelowFold(
  ref: RefObject<HTMLElement | null>,
  /** Whether the element is rendered now (measuring starts again when it appears). */
  shown: boolean,
  minPx = 240,
  marginPx = 12,
): number | null {
  const [side, setSide] = useState<number | null>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!shown || !el || typeof window === 'undefined') return;
    const measure = () => {
      const top = el.getBoundingClientRect().top + window.scrollY;
      setSide(Math.max(minPx, Math.floor(window.innerHeight - top - marginPx)));
    };
    measure();
    window.addEventListener('resize', measure);
    // Whatever sits above the element lives in the same view: watch the view's size.
    const observer =
      typeof ResizeObserver === 'function' ? new ResizeObserver(() => measure()) : null;
    const view = el.closest('.view') ?? el.parentElement;
    if (observer && view) observer.observe(view);
    return () => {
      window.removeEventListener('resize', measure);
      observer?.disconnect();
    };
  }, [ref, shown, minPx, marginPx]);
  return side;
}
