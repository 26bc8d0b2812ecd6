/**
 * What a grid picture shows, as plain data (a "scene"), and its resolution into per-cell colours
 * and marks. The canvas renderer, the SVG export and the thumbnails all draw a resolved scene,
 * so every picture of the same scene has the same colours. DOM-free.
 */
import {
  color,
  interpolateBlues,
  interpolateCividis,
  interpolateGreys,
  interpolateInferno,
  interpolateMagma,
  interpolatePlasma,
  interpolateRgb,
  interpolateTurbo,
  interpolateViridis,
} from 'd3';
import { gridSize, type Grid } from '../../../src/index.ts';

/** Sequential colour schemes for the underlay; all run dark (low) to bright (high). */
const COLOR_SCHEMES = {
  viridis: interpolateViridis,
  magma: interpolateMagma,
  inferno: interpolateInferno,
  plasma: interpolatePlasma,
  cividis: interpolateCividis,
  turbo: interpolateTurbo,
  blues: (t: number) => interpolateBlues(1 - t),
  // d3's Greys run white → black; reversed so low values sink into the dark page.
  greys: (t: number) => interpolateGreys(1 - t),
} as const satisfies Record<string, (t: number) => string>;

export type ColorSchemeName = keyof typeof COLOR_SCHEMES;

/** Colours of the dark theme (app/styles.css), fixed here so exports look like the page. */
export const GRID_COLORS = {
  background: '#0f1115',
  /** A cell with no underlay. */
  empty: '#252a34',
  /** A cell whose underlay value is NaN (no data, e.g. a unit with no hits). */
  noData: '#1a1d24',
  /** Active in the SDR only. */
  a: '#5ab0ff',
  /** Active in the comparison SDR only. */
  b: '#ffb454',
  /** Active in both SDRs. */
  both: '#f4f6fb',
  focus: '#5ab0ff',
  hover: '#ffffff',
  labelText: '#e7e9ee',
  labelHalo: 'rgba(15, 17, 21, 0.88)',
} as const;

/** How active cells are drawn: solid bright cells, or outlines that leave the underlay visible. */
type SdrStyle = 'fill' | 'outline';

/** Everything a grid picture shows. Arrays are read, never mutated or copied per draw. */
export interface GridScene {
  readonly grid: Grid;
  /** Underlay: one value per unit (rows·cols); NaN marks a unit without data. Optional. */
  readonly values?: Float32Array | null;
  /** Colour-scale domain [low, high]; default the finite min and max of `values`. */
  readonly domain?: readonly [number, number] | null;
  /** Underlay colour scheme; default 'viridis'. */
  readonly scheme?: ColorSchemeName;
  /** The SDR: sorted, distinct active unit indices. Optional. */
  readonly sdr?: Uint32Array | null;
  /** A second SDR to compare with, drawn in another colour; shared units are marked. Optional. */
  readonly compareSdr?: Uint32Array | null;
  /** Default 'fill'. */
  readonly sdrStyle?: SdrStyle;
  /**
   * Fade the underlay halfway into the background so filled SDR cells stand out; default true
   * when an SDR is drawn with the 'fill' style over an underlay, else false.
   */
  readonly dimUnderlay?: boolean;
  /** A region label per unit (empty or null for none). Optional. */
  readonly labels?: readonly (string | null | undefined)[] | null;
}

/** Per-cell state bits in {@link ResolvedScene.state}. */
export const IN_A = 1;
export const IN_B = 2;

/** Number of colours in the underlay lookup table. */
export const LUT_SIZE = 256;

export interface ResolvedScene extends ResolvedUnderlay, ResolvedMarks {
  readonly grid: Grid;
  readonly m: number;
  /** LUT_SIZE colours (#rrggbb), already dimmed when the scene dims the underlay. */
  readonly lut: readonly string[];
  readonly sdrStyle: SdrStyle;
}

export class GridSceneError extends Error {
  override name = 'GridSceneError';
}

/** How far a dimmed underlay colour moves toward the background, 0 (not at all) to 1. */
const DIM_MIX = 0.5;

const lutCache = new Map<string, readonly string[]>();

/** LUT_SIZE evenly spaced colours of a scheme (t = k / (LUT_SIZE − 1)), optionally dimmed. */
export function schemeLut(scheme: ColorSchemeName, dimmed = false): readonly string[] {
  const key = `${scheme}:${dimmed}`;
  const cached = lutCache.get(key);
  if (cached) return cached;
  const interpolate = COLOR_SCHEMES[scheme];
  if (!interpolate) throw new GridSceneError(`unknown colour scheme "${String(scheme)}"`);
  const lut: string[] = [];
  for (let k = 0; k < LUT_SIZE; k++) {
    const c = interpolate(k / (LUT_SIZE - 1));
    const hex = color(dimmed ? interpolateRgb(c, GRID_COLORS.background)(DIM_MIX) : c)?.formatHex();
    lut.push(hex ?? GRID_COLORS.empty);
  }
  lutCache.set(key, lut);
  return lut;
}

/** The finite minimum and maximum of `values`, or null when none is finite. */
export function finiteExtent(values: ArrayLike<number>): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : null;
}

/** LUT index of value v in domain [lo, hi]; -1 for a non-finite v. A flat domain maps to mid. */
export function lutIndex(v: number, lo: number, hi: number): number {
  if (!Number.isFinite(v)) return -1;
  const t = hi > lo ? (v - lo) / (hi - lo) : 0.5;
  const k = Math.round(t * (LUT_SIZE - 1));
  return k < 0 ? 0 : k > LUT_SIZE - 1 ? LUT_SIZE - 1 : k;
}

function checkSdr(name: string, sdr: Uint32Array, m: number): void {
  for (let k = 0; k < sdr.length; k++) {
    if (sdr[k] >= m) {
      throw new GridSceneError(`${name} has unit ${sdr[k]}, outside the grid of ${m} units`);
    }
  }
}

/** The underlay part of a resolved scene: it changes only with the values and their domain. */
export interface ResolvedUnderlay {
  /** Per unit: lookup-table index of its underlay colour, -1 for no data; null without underlay. */
  readonly colorIndex: Int16Array | null;
  /** The domain the colours were scaled to; null without underlay or without finite values. */
  readonly domain: readonly [number, number] | null;
}

/** The SDR part of a resolved scene: it changes only with the SDRs. */
export interface ResolvedMarks {
  /** Per unit: IN_A | IN_B bits. */
  readonly state: Uint8Array;
  readonly countA: number;
  readonly countB: number;
  readonly countBoth: number;
  /** Whether the scene has an SDR / a comparison SDR (possibly empty). */
  readonly hasSdr: boolean;
  readonly hasCompare: boolean;
}

/** Check the underlay values (and domain) against the grid and give each unit its colour index. */
export function resolveUnderlay(
  grid: Grid,
  values: Float32Array | null | undefined,
  domain?: readonly [number, number] | null,
): ResolvedUnderlay {
  if (!values) return { colorIndex: null, domain: null };
  const m = gridSize(grid);
  if (values.length !== m) {
    throw new GridSceneError(`expected ${m} underlay values (one per unit), got ${values.length}`);
  }
  let used: readonly [number, number] | null;
  if (domain) {
    const [lo, hi] = domain;
    if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo > hi) {
      throw new GridSceneError(`domain must be two finite numbers, low ≤ high, got [${lo}, ${hi}]`);
    }
    used = [lo, hi];
  } else {
    used = finiteExtent(values);
  }
  const colorIndex = new Int16Array(m).fill(-1);
  if (used) {
    const [lo, hi] = used;
    for (let i = 0; i < m; i++) colorIndex[i] = lutIndex(values[i], lo, hi);
  }
  return { colorIndex, domain: used };
}

/** Check the SDRs against the grid and mark each unit as in one, the other, or both. */
export function resolveMarks(
  grid: Grid,
  sdr: Uint32Array | null | undefined,
  compareSdr: Uint32Array | null | undefined,
): ResolvedMarks {
  const m = gridSize(grid);
  const state = new Uint8Array(m);
  if (sdr) {
    checkSdr('the SDR', sdr, m);
    for (let k = 0; k < sdr.length; k++) state[sdr[k]] |= IN_A;
  }
  if (compareSdr) {
    checkSdr('the comparison SDR', compareSdr, m);
    for (let k = 0; k < compareSdr.length; k++) state[compareSdr[k]] |= IN_B;
  }
  let countA = 0;
  let countB = 0;
  let countBoth = 0;
  for (let i = 0; i < m; i++) {
    const st = state[i];
    if (st === IN_A) countA++;
    else if (st === IN_B) countB++;
    else if (st !== 0) countBoth++;
  }
  return { state, countA, countB, countBoth, hasSdr: !!sdr, hasCompare: !!compareSdr };
}

/**
 * Check a scene against its grid and work out every cell's colour index and SDR marks. Pass
 * `parts` already resolved (and memoised) for this scene to skip redoing them.
 */
export function resolveScene(
  scene: GridScene,
  parts: { readonly underlay?: ResolvedUnderlay; readonly marks?: ResolvedMarks } = {},
): ResolvedScene {
  const { grid } = scene;
  const m = gridSize(grid);
  const scheme = scene.scheme ?? 'viridis';
  if (!(scheme in COLOR_SCHEMES)) {
    throw new GridSceneError(
      `unknown colour scheme "${String(scheme)}"; use one of ${Object.keys(COLOR_SCHEMES).join(', ')}`,
    );
  }
  const sdrStyle = scene.sdrStyle ?? 'fill';
  if (sdrStyle !== 'fill' && sdrStyle !== 'outline') {
    throw new GridSceneError(`sdrStyle must be 'fill' or 'outline', got ${String(sdrStyle)}`);
  }
  if (scene.labels && scene.labels.length !== m) {
    throw new GridSceneError(`expected ${m} labels (one per unit), got ${scene.labels.length}`);
  }
  const underlay = parts.underlay ?? resolveUnderlay(grid, scene.values, scene.domain);
  const marks = parts.marks ?? resolveMarks(grid, scene.sdr, scene.compareSdr);
  // Dimming follows the presence of an SDR, not its size, so stepping through SDRs (some empty)
  // never makes the underlay flicker.
  const dim =
    scene.dimUnderlay ??
    (underlay.colorIndex !== null && (marks.hasSdr || marks.hasCompare) && sdrStyle === 'fill');
  return { grid, m, ...underlay, ...marks, lut: schemeLut(scheme, dim), sdrStyle };
}

/** The colour a cell is filled with before SDR marks: its underlay colour, or empty/no data. */
export function baseFill(resolved: ResolvedScene, i: number): string {
  const ci = resolved.colorIndex;
  if (!ci) return GRID_COLORS.empty;
  const k = ci[i];
  return k < 0 ? GRID_COLORS.noData : resolved.lut[k];
}

/** The colour of an SDR mark for a state (IN_A, IN_B or both); null for an inactive cell. */
export function markColor(state: number): string | null {
  if (state === 0) return null;
  if (state === IN_A) return GRID_COLORS.a;
  if (state === IN_B) return GRID_COLORS.b;
  return GRID_COLORS.both;
}

/** What an SDR mark means, for tooltips and legends. */
export function markName(state: number, sdrName = 'SDR', compareName = 'comparison'): string {
  if (state === IN_A) return `active in ${sdrName}`;
  if (state === IN_B) return `active in ${compareName}`;
  if (state !== 0) return `active in both ${sdrName} and ${compareName}`;
  return 'inactive';
}

/** Names that make a scene's description read well; all optional. */
export interface SceneNames {
  /** What the SDR encodes, e.g. 'cat'; default none ("SDR"). */
  readonly sdrName?: string;
  /** What the comparison SDR encodes; default none ("comparison"). */
  readonly compareName?: string;
  /** What the underlay values mean, e.g. 'U-matrix distance'; default 'value'. */
  readonly valueLabel?: string;
}

/** Short value formatting for tooltips, legends and descriptions (3 significant digits). */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return 'no data';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(2);
  return String(Number(v.toPrecision(3)));
}

/**
 * A one-sentence description of what a scene shows, for aria-labels and SVG titles, e.g.
 * "SDR of 'cat': 20 of 1024 units active; 32×32 rect map".
 */
export function describeScene(resolved: ResolvedScene, names: SceneNames = {}): string {
  const { grid, m } = resolved;
  const parts: string[] = [];
  const inA = resolved.countA + resolved.countBoth;
  const inB = resolved.countB + resolved.countBoth;
  const quote = (s: string) => `'${s}'`;
  if (resolved.hasSdr) {
    const who = names.sdrName !== undefined ? `SDR of ${quote(names.sdrName)}` : 'SDR';
    parts.push(`${who}: ${inA} of ${m} units active`);
  }
  if (resolved.hasCompare) {
    const who =
      names.compareName !== undefined ? `SDR of ${quote(names.compareName)}` : 'comparison SDR';
    parts.push(`${who}: ${inB} active, ${resolved.countBoth} shared`);
  }
  if (resolved.colorIndex) {
    const what = names.valueLabel ?? 'value';
    parts.push(
      resolved.domain
        ? `colour shows ${what} from ${formatValue(resolved.domain[0])} to ${formatValue(resolved.domain[1])}`
        : `colour shows ${what} (no data)`,
    );
  }
  parts.push(`${grid.rows}×${grid.cols} ${grid.topology === 'hex' ? 'hexagonal' : 'square'} grid`);
  return parts.join('; ');
}
