/**
 * The key to a grid picture: the underlay's colour scale with its range and meaning, and
 * swatches for the SDR marks. Plain DOM text, so screen readers read the numbers.
 */
import { useMemo } from 'react';
import { GRID_COLORS, LUT_SIZE, formatValue, schemeLut, type ColorSchemeName } from './scene.ts';
import './grid.css';

export interface LegendProps {
  /** What the colour shows, e.g. "U-matrix distance" or "hits"; default no colour scale. */
  readonly title?: string;
  /** The scale's range as drawn (ResolvedScene.domain); null shows "no data". */
  readonly domain?: readonly [number, number] | null;
  /** Default 'viridis'. */
  readonly scheme?: ColorSchemeName;
  /** What low values mean, e.g. "similar neighbours"; optional. */
  readonly lowNote?: string;
  /** What high values mean, e.g. "cluster border"; optional. */
  readonly highNote?: string;
  /** Number formatting of the range; default 3 significant digits. */
  readonly format?: (v: number) => string;
  /** Name of the SDR, e.g. 'cat'; shows its swatch when given. */
  readonly sdrName?: string;
  /** Name of the comparison SDR; shows its swatch and the "both" swatch when given. */
  readonly compareName?: string;
  readonly className?: string;
}

/** Number of colour stops in the legend's CSS gradient. */
const STOPS = 12;

export function Legend({
  title,
  domain,
  scheme = 'viridis',
  lowNote,
  highNote,
  format = formatValue,
  sdrName,
  compareName,
  className,
}: LegendProps) {
  const gradient = useMemo(() => {
    const lut = schemeLut(scheme);
    const stops = Array.from({ length: STOPS }, (_, k) => {
      const t = k / (STOPS - 1);
      return `${lut[Math.round(t * (LUT_SIZE - 1))]} ${(t * 100).toFixed(1)}%`;
    });
    return `linear-gradient(to right, ${stops.join(', ')})`;
  }, [scheme]);

  const swatches: Array<{ color: string; text: string }> = [];
  if (sdrName !== undefined) swatches.push({ color: GRID_COLORS.a, text: sdrName });
  if (compareName !== undefined) {
    swatches.push({ color: GRID_COLORS.b, text: compareName });
    if (sdrName !== undefined) swatches.push({ color: GRID_COLORS.both, text: 'both' });
  }

  const low = domain ? format(domain[0]) : '';
  const high = domain ? format(domain[1]) : '';
  return (
    <div className={className ? `grid-legend ${className}` : 'grid-legend'}>
      {title !== undefined && (
        <div className="grid-legend-scale">
          <span className="grid-legend-title">{title}</span>
          {domain ? (
            <>
              <div
                className="grid-legend-bar"
                style={{ background: gradient }}
                role="img"
                aria-label={`${title}: dark is ${low}${lowNote ? ` (${lowNote})` : ''}, bright is ${high}${highNote ? ` (${highNote})` : ''}`}
              />
              <div className="grid-legend-ticks" aria-hidden="true">
                <span>
                  {low}
                  {lowNote && ` · ${lowNote}`}
                </span>
                <span>
                  {highNote && `${highNote} · `}
                  {high}
                </span>
              </div>
            </>
          ) : (
            <span className="muted">no data</span>
          )}
        </div>
      )}
      {swatches.length > 0 && (
        <ul className="grid-legend-swatches" aria-label="Active units">
          {swatches.map((s) => (
            <li key={s.color}>
              <span
                className="grid-legend-swatch"
                style={{ background: s.color }}
                aria-hidden="true"
              />
              {s.text}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
