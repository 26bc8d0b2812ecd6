/**
 * The state a share link carries, read safely from a link anyone can craft.
 *
 *   https://host/app/?map=https://example.org/cats.sdrmap&view=map&items=3,17&k=20&noise=move:0.1&embed=1&q=tabby
 *   https://host/app/?view=compare&items=1,2#m=<base64url of a packed map>
 *
 * Query parameters (all optional; unknown ones are ignored silently, since other tools add
 * their own, e.g. utm_source):
 * - `map` an https: address of a `.sdrmap` file (http: only for localhost/127.0.0.1/[::1], for
 *   development), or a same-origin relative path; `builtin=<id>` a map shipped with the app;
 *   `library=<id>` a map in this browser's library. The fragment `#m=<base64url>` carries a
 *   small map inside the link itself: the fragment is never sent to a server.
 *   One map per link: when several are given, the first valid one in the order
 *   inline, map, library, builtin wins and the others are reported.
 * - `view` one of SHARE_VIEWS (default 'map'); `items` comma-separated item indices to select;
 *   `k` active units per SDR; `noise` e.g. `move:0.1,drop:0.05` (or `none`); `embed=1` the page
 *   is embedded in another page (show the view without the surrounding chrome); `q` a query text.
 *
 * parseShareState never throws: each bad field is dropped or clamped and reported as a human
 * warning ("ignored k=abc: not a number"). Every string it returns is plain data (the page must
 * render it as text, never as HTML). formatShareState is its inverse: for every valid state s,
 * parseShareState(formatShareState(s)) gives s back with no warnings.
 */
import { base64UrlProblem } from './base64url.ts';
import { errorMessage } from '../util/errorMessage.ts';
import { LONE_SURROGATE, UNSAFE_CHARS } from '../io/text.ts';

/** The views a link can open (the page's tabs; a page without one says so and shows the map). */
export const SHARE_VIEWS = [
  'map',
  'gallery',
  'compare',
  'robustness',
  'algebra',
  'claims',
  'data',
  'library',
  'item',
  'novelty',
  'storage',
] as const;
export type ShareViewId = (typeof SHARE_VIEWS)[number];

/** The view a link opens when it names none (or names an unknown one). */
export const DEFAULT_SHARE_VIEW: ShareViewId = 'map';

/** Where the map a link shows comes from. */
export type MapSource =
  /**
   * A map shipped with the app (e.g. the concept atlas), written `builtin=<id>@<version>`.
   * `version` (a whole number from 1 to MAX_BUILTIN_VERSION) names the build the sender saw;
   * absent (`builtin=concepts`): whichever version the page ships.
   */
  | { readonly kind: 'builtin'; readonly id: string; readonly version?: number }
  /** A `.sdrmap` file to download: absolute https: (http: on localhost) or a same-origin path. */
  | { readonly kind: 'url'; readonly url: string }
  /** A packed map inside the link (base64url text; see inlineMap.ts). */
  | { readonly kind: 'inline'; readonly data: string }
  /** A map saved in this browser's library (only meaningful on the same browser). */
  | { readonly kind: 'library'; readonly id: string };

/** The noise kinds of the robustness view, in link order. */
export const NOISE_KINDS = ['move', 'drop', 'flip', 'embed'] as const;
export type NoiseKind = (typeof NOISE_KINDS)[number];

/** Noise levels, each a fraction in [0, 1] (0 = none; −0 is written and read back as 0). */
export interface NoiseSettings {
  /** Fraction of active units moved to a neighbouring unit. */
  readonly move: number;
  /** Fraction of active units switched off. */
  readonly drop: number;
  /** Fraction of active units swapped for random inactive ones. */
  readonly flip: number;
  /** Strength of the noise added to the embedding before encoding. */
  readonly embed: number;
}

export interface ShareState {
  /** The map to open; null: the link names none (the page shows its default). */
  readonly mapSource: MapSource | null;
  /** The view to open; default 'map'. */
  readonly view: ShareViewId;
  /** Selected item indices: distinct integers in [0, MAX_ITEM_INDEX], in link order, ≤ 64. */
  readonly selected: readonly number[];
  /** Active units per SDR, an integer in [1, 4096]; null: keep the page's setting. */
  readonly k: number | null;
  /** Noise levels; null: keep the page's settings. */
  readonly noise: NoiseSettings | null;
  /** True when the page is shown inside another page (no surrounding chrome). Default false. */
  readonly embed: boolean;
  /** Query text, 1 to 200 characters, no control characters; absent when the link has none. */
  readonly query?: string;
  /**
   * The Compare view's items, in order (at most MAX_COMPARE_ENTRIES): a dataset row index, or a
   * mixture as the list of its 2 or 3 distinct parts' row indices. Written `cmp=3,17,3~17`.
   * Absent: the link says nothing about Compare.
   */
  readonly compare?: readonly CompareEntry[];
  /** The item the Item view shows, as a row index in [0, MAX_ITEM_INDEX]. Written `item=`. */
  readonly item?: number;
  /** The selected map unit, an index in [0, MAX_UNIT_INDEX]. Written `unit=`. */
  readonly unit?: number;
  /** The Algebra view's expression: an operation over 1 to 6 row indices. `alg=union:3,17`. */
  readonly algebra?: AlgebraState;
}

/** One Compare entry: a dataset row index, or a mixture's parts (2 or 3 distinct row indices). */
export type CompareEntry = number | readonly number[];

/** The set operations of the Algebra view, in link order. */
const ALGEBRA_OPS = ['union', 'intersection', 'difference', 'not'] as const;
type AlgebraOp = (typeof ALGEBRA_OPS)[number];

/** An algebra expression: `op` over the SDRs of `operands` (row indices, in order, repeats allowed). */
export interface AlgebraState {
  readonly op: AlgebraOp;
  readonly operands: readonly number[];
}

export interface ParsedShareState {
  readonly state: ShareState;
  /** One human sentence per field that was dropped or clamped; empty for a clean link. */
  readonly warnings: string[];
}

/** A state that cannot be written as a link; the message says which field and why. */
export class ShareStateError extends Error {
  override readonly name = 'ShareStateError';
}

/** Most selected items a link carries: enough for any comparison, small enough to stay short. */
export const MAX_SELECTED = 64;
/** Largest item index (item indices live in Uint32Arrays). */
export const MAX_ITEM_INDEX = 0xffffffff;
export const K_MIN = 1;
export const K_MAX = 4096;
/** Most Compare entries a link carries (the Compare view shows at most 6). */
const MAX_COMPARE_ENTRIES = 6;
/** Fewest and most parts of a mixture (as the Compare view mixes them). */
const MIN_MIX_PARTS_IN_LINK = 2;
const MAX_MIX_PARTS_IN_LINK = 3;
/** Most operands of an algebra expression (as the Algebra view combines them). */
const MAX_ALGEBRA_OPERANDS = 6;
/** Largest unit index: a grid has at most MAX_GRID_SIDE² = 1,048,576 units. */
const MAX_UNIT_INDEX = 1024 * 1024 - 1;
/** Largest built-in map version a link may name. */
const MAX_BUILTIN_VERSION = 999_999;
/** Longest query text, in characters (Unicode code points). */
export const MAX_QUERY_CHARS = 200;
/** Longest builtin/library id. */
export const MAX_ID_CHARS = 128;
/** Longest map address: 2,048 is the long-standing safe URL length across browsers and servers. */
export const MAX_MAP_URL_CHARS = 2048;
/**
 * Longest query string (the part after `?`). It is sent to the server with the page request,
 * and common servers refuse longer request lines (nginx's default 8 KiB header buffers,
 * Apache's LimitRequestLine of 8,190 bytes answer 414), so a longer link would not load the
 * page anyway. Refusing it up front also bounds the work a hostile link can cause.
 */
export const MAX_SEARCH_CHARS = 8192;
/**
 * Longest inline map: 512 KiB of base64url (524,288 characters), i.e. 384 KiB of packed map.
 * Why this size: a teaching map, 12×12 or 16×16 units of 512-d CLIP weights with a few dozen
 * labelled items, packs to 250–390 KB (src/io/mapLink.ts), so 64 KiB carried only 7×7 maps.
 * Chromium accepts addresses up to 2 MiB (its kMaxURLChars), so 512 KiB plus the 8 KiB query
 * stays under a quarter of that, leaving room for other browsers' lower limits and for the copies
 * history and session restore keep. Such a link no longer fits a chat message; it is for
 * bookmarks, mail, documents and slides (the page says so, and points larger maps to a host).
 */
export const MAX_INLINE_MAP_CHARS = 512 * 1024;
/** Longest fragment (the part after `#`): the inline map plus room for its `m=` key. */
export const MAX_HASH_CHARS = MAX_INLINE_MAP_CHARS + 256;

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** A plain decimal number, optionally signed, optionally with an exponent (what String(x) writes). */
const NUMBER_PATTERN = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** C0/C1 controls, DEL, and the bidirectional overrides that can disguise how text reads. */
const CONTROL_CHARS = UNSAFE_CHARS;
const HAS_CONTROL_CHARS = new RegExp(CONTROL_CHARS.source);
const HAS_LONE_SURROGATE = new RegExp(LONE_SURROGATE.source);
/** Query keys this codec reads; any other key is left to whoever added it. */
const KNOWN_KEYS = [
  'map',
  'builtin',
  'library',
  'view',
  'items',
  'k',
  'noise',
  'embed',
  'q',
  'cmp',
  'item',
  'unit',
  'alg',
];

/** The state of a link that says nothing: the page's defaults. */
export function defaultShareState(): ShareState {
  return {
    mapSource: null,
    view: DEFAULT_SHARE_VIEW,
    selected: [],
    k: null,
    noise: null,
    embed: false,
  };
}

/** Read a link's state from `location.search` and `location.hash` (each with or without its `?`/`#`). */
export function parseShareState(search: string, hash: string): ParsedShareState {
  const warnings: string[] = [];
  try {
    return { state: parseInto(search, hash, warnings), warnings };
  } catch (err) {
    // Belt and braces: the parser is written not to throw (and fuzzed for it); if it ever
    // does, the page still opens with its defaults and says so.
    warnings.push(`could not read the link (internal error: ${errorMessage(err)}); using defaults`);
    return { state: defaultShareState(), warnings };
  }
}

/**
 * Write a state as the `search` (`?…`, never empty: the view is always written) and `hash`
 * (`#m=…` or '') of a link. Throws ShareStateError naming the first invalid field.
 */
export function formatShareState(state: ShareState): { search: string; hash: string } {
  const problems = shareStateProblems(state);
  if (problems.length > 0) throw new ShareStateError(`cannot make a link: ${problems[0]}`);
  const parts: string[] = [];
  const src = state.mapSource;
  let hash = '';
  if (src?.kind === 'url') parts.push(`map=${encodeValue(src.url)}`);
  else if (src?.kind === 'builtin') {
    parts.push(
      `builtin=${encodeValue(src.id)}${src.version !== undefined ? `@${src.version}` : ''}`,
    );
  } else if (src?.kind === 'library') parts.push(`library=${encodeValue(src.id)}`);
  else if (src?.kind === 'inline') hash = `#m=${src.data}`;
  parts.push(`view=${state.view}`);
  if (state.selected.length > 0) parts.push(`items=${state.selected.join(',')}`);
  if (state.k !== null) parts.push(`k=${state.k}`);
  if (state.noise !== null) {
    const noise = state.noise;
    const set = NOISE_KINDS.filter((kind) => noise[kind] !== 0);
    parts.push(
      `noise=${set.length === 0 ? 'none' : set.map((kind) => `${kind}:${noise[kind]}`).join(',')}`,
    );
  }
  if (state.embed) parts.push('embed=1');
  if (state.query !== undefined) parts.push(`q=${encodeValue(state.query)}`);
  if (state.compare !== undefined) {
    const entries = state.compare.map((e) => (typeof e === 'number' ? String(e) : e.join('~')));
    parts.push(`cmp=${entries.join(',')}`);
  }
  if (state.item !== undefined) parts.push(`item=${state.item}`);
  if (state.unit !== undefined) parts.push(`unit=${state.unit}`);
  if (state.algebra !== undefined) {
    parts.push(`alg=${state.algebra.op}:${state.algebra.operands.join(',')}`);
  }
  return { search: `?${parts.join('&')}`, hash };
}

/** Every reason `state` is not a valid ShareState (empty when it is). Never throws. */
export function shareStateProblems(state: ShareState): string[] {
  const problems: string[] = [];
  if (typeof state !== 'object' || state === null) return ['the state must be an object'];
  const src = state.mapSource as MapSource | null | undefined;
  if (src !== null) {
    if (typeof src !== 'object' || src === undefined)
      problems.push('mapSource must be an object or null');
    else if (src.kind === 'url') {
      const p = typeof src.url === 'string' ? mapUrlProblem(src.url) : 'it is not text';
      if (p) problems.push(`the map address is refused: ${p}`);
    } else if (src.kind === 'builtin' || src.kind === 'library') {
      const p = typeof src.id === 'string' ? idProblem(src.id) : 'it is not text';
      if (p) problems.push(`the ${src.kind} map id is refused: ${p}`);
      const version = src.kind === 'builtin' ? (src.version as unknown) : undefined;
      if (
        version !== undefined &&
        !(isIndex(version, MAX_BUILTIN_VERSION) && (version as number) >= 1)
      ) {
        problems.push(
          `the built-in map version must be a whole number from 1 to ${MAX_BUILTIN_VERSION}`,
        );
      }
    } else if (src.kind === 'inline') {
      const p = typeof src.data === 'string' ? inlineMapProblem(src.data) : 'it is not text';
      if (p) problems.push(`the map inside the link is refused: ${p}`);
    } else problems.push('mapSource.kind must be builtin, url, inline or library');
  }
  if (!(SHARE_VIEWS as readonly unknown[]).includes(state.view)) {
    problems.push(`view must be one of ${SHARE_VIEWS.join(', ')}`);
  }
  const sel = state.selected as readonly unknown[];
  if (!Array.isArray(sel)) problems.push('selected must be a list of item indices');
  else {
    if (sel.length > MAX_SELECTED) problems.push(`at most ${MAX_SELECTED} items can be selected`);
    if (
      !sel.every(
        (i) => Number.isInteger(i) && (i as number) >= 0 && (i as number) <= MAX_ITEM_INDEX,
      )
    ) {
      problems.push(`selected item indices must be whole numbers from 0 to ${MAX_ITEM_INDEX}`);
    } else if (new Set(sel).size !== sel.length) problems.push('selected items must be distinct');
  }
  if (state.k !== null && !(Number.isInteger(state.k) && state.k >= K_MIN && state.k <= K_MAX)) {
    problems.push(`k must be a whole number from ${K_MIN} to ${K_MAX} (or null)`);
  }
  if (state.noise !== null) {
    const noise = state.noise as NoiseSettings | undefined;
    if (typeof noise !== 'object' || noise === undefined)
      problems.push('noise must be an object or null');
    else {
      for (const kind of NOISE_KINDS) {
        const v = noise[kind];
        if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
          problems.push(`noise ${kind} must be a number from 0 to 1`);
        }
      }
    }
  }
  if (typeof state.embed !== 'boolean') problems.push('embed must be true or false');
  if (state.query !== undefined) {
    const q = state.query as unknown;
    if (typeof q !== 'string') problems.push('query must be text');
    else if (q.length === 0) problems.push('query must not be empty (leave it out instead)');
    else if (HAS_CONTROL_CHARS.test(q) || HAS_LONE_SURROGATE.test(q)) {
      problems.push('query must not contain control characters');
    } else if (codePointLength(q) > MAX_QUERY_CHARS) {
      problems.push(`query must be at most ${MAX_QUERY_CHARS} characters`);
    }
  }
  problems.push(...viewStateProblems(state));
  return problems;
}

/** True for a whole number from 0 to `max`. */
function isIndex(value: unknown, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max;
}

/** Problems of the per-view fields (compare, item, unit, algebra). */
function viewStateProblems(state: ShareState): string[] {
  const problems: string[] = [];
  const compare = state.compare as unknown;
  if (compare !== undefined) {
    if (!Array.isArray(compare)) problems.push('compare must be a list');
    else {
      if (compare.length === 0) problems.push('compare must not be empty (leave it out instead)');
      if (compare.length > MAX_COMPARE_ENTRIES) {
        problems.push(`compare holds at most ${MAX_COMPARE_ENTRIES} entries`);
      }
      const ok = compare.every((e: unknown) =>
        Array.isArray(e)
          ? e.length >= MIN_MIX_PARTS_IN_LINK &&
            e.length <= MAX_MIX_PARTS_IN_LINK &&
            e.every((i: unknown) => isIndex(i, MAX_ITEM_INDEX)) &&
            new Set(e).size === e.length
          : isIndex(e, MAX_ITEM_INDEX),
      );
      if (!ok) {
        problems.push(
          `compare entries must be item numbers from 0 to ${MAX_ITEM_INDEX}, or mixtures of ${MIN_MIX_PARTS_IN_LINK} or ${MAX_MIX_PARTS_IN_LINK} different ones`,
        );
      } else if (new Set(compare.map(entryKey)).size !== compare.length) {
        problems.push('compare entries must be distinct');
      }
    }
  }
  if (state.item !== undefined && !isIndex(state.item, MAX_ITEM_INDEX)) {
    problems.push(`item must be a whole number from 0 to ${MAX_ITEM_INDEX}`);
  }
  if (state.unit !== undefined && !isIndex(state.unit, MAX_UNIT_INDEX)) {
    problems.push(`unit must be a whole number from 0 to ${MAX_UNIT_INDEX}`);
  }
  const alg = state.algebra as AlgebraState | undefined;
  if (alg !== undefined) {
    if (typeof alg !== 'object' || alg === null) problems.push('algebra must be an object');
    else {
      if (!(ALGEBRA_OPS as readonly unknown[]).includes(alg.op)) {
        problems.push(`the algebra operation must be one of ${ALGEBRA_OPS.join(', ')}`);
      }
      const ops = alg.operands as unknown;
      if (
        !Array.isArray(ops) ||
        ops.length === 0 ||
        ops.length > MAX_ALGEBRA_OPERANDS ||
        !ops.every((i: unknown) => isIndex(i, MAX_ITEM_INDEX))
      ) {
        problems.push(
          `the algebra operands must be 1 to ${MAX_ALGEBRA_OPERANDS} item numbers from 0 to ${MAX_ITEM_INDEX}`,
        );
      }
    }
  }
  return problems;
}

/** A Compare entry as its link text (also its identity: mixtures by their parts in order). */
function entryKey(entry: CompareEntry): string {
  return typeof entry === 'number' ? String(entry) : entry.join('~');
}

/**
 * Why a map address from a link is refused, or null when it may be fetched. Allowed: absolute
 * https: without credentials (http: only for localhost, 127.0.0.1 and [::1]) and relative paths
 * that stay on the page's own origin. Refused: every other scheme (javascript:, data:, blob:,
 * file:, …), user:password@ credentials, protocol-relative `//host` addresses, control
 * characters, spaces, backslashes, and text that does not parse as an address. The page
 * fetches a relative address against its own address (`new URL(url, location.href)`).
 */
export function mapUrlProblem(url: string): string | null {
  if (url.length === 0) return 'it is empty';
  if (url.length > MAX_MAP_URL_CHARS) {
    return `it is ${url.length.toLocaleString('en')} characters long; at most ${MAX_MAP_URL_CHARS.toLocaleString('en')} are allowed`;
  }
  if (HAS_CONTROL_CHARS.test(url)) return 'it contains control characters';
  if (/\s/.test(url)) return 'it contains spaces (write them as %20)';
  if (url.includes('\\')) return 'it contains a backslash';
  let absolute: URL | null = null;
  try {
    absolute = new URL(url);
  } catch {
    absolute = null;
  }
  if (absolute !== null) {
    const scheme = absolute.protocol;
    if (scheme === 'http:' && !LOCAL_HOSTS.has(absolute.hostname)) {
      return 'http: addresses are allowed only for localhost; use https:';
    }
    if (scheme !== 'https:' && scheme !== 'http:') {
      return `${scheme} addresses are not allowed; use an https: address`;
    }
    if (absolute.username !== '' || absolute.password !== '') {
      return 'it contains a user name or password';
    }
    return null;
  }
  // Relative: resolve against a stand-in page. Only a path (or query) keeps the origin; a
  // `//host/…` reference would leave it, so it is refused rather than guessed at.
  const base = 'https://page.invalid/app/';
  let resolved: URL;
  try {
    resolved = new URL(url, base);
  } catch {
    return 'it is not a valid web address';
  }
  if (resolved.origin !== new URL(base).origin) {
    return 'it points to another site without a scheme; write the full https: address';
  }
  return null;
}

/** Why a builtin/library id is refused, or null. */
function idProblem(id: string): string | null {
  if (id.length === 0) return 'it is empty';
  if (id.length > MAX_ID_CHARS) return `it is longer than ${MAX_ID_CHARS} characters`;
  if (!ID_PATTERN.test(id))
    return "ids are letters, digits, '.', '_' and '-', starting with a letter or digit";
  return null;
}

/** Why inline map text is refused, or null. */
function inlineMapProblem(data: string): string | null {
  if (data.length === 0) return 'it is empty';
  return base64UrlProblem(data, MAX_INLINE_MAP_CHARS);
}

interface Field {
  readonly value: string;
  count: number;
}

function parseInto(search: unknown, hash: unknown, warnings: string[]): ShareState {
  let query = typeof search === 'string' ? search : '';
  let fragment = typeof hash === 'string' ? hash : '';
  if (query.startsWith('?')) query = query.slice(1);
  if (fragment.startsWith('#')) fragment = fragment.slice(1);
  if (query.length > MAX_SEARCH_CHARS) {
    warnings.push(
      `ignored the link's settings: the part after '?' is ${query.length.toLocaleString('en')} characters; a link carries at most ${MAX_SEARCH_CHARS.toLocaleString('en')}`,
    );
    query = '';
  }
  if (fragment.length > MAX_HASH_CHARS) {
    warnings.push(
      `ignored the map inside the link: it is ${fragment.length.toLocaleString('en')} characters; a link carries at most ${MAX_INLINE_MAP_CHARS.toLocaleString('en')} (a packed map of ${(MAX_INLINE_MAP_CHARS * 3) / 4 / 1024} KiB)`,
    );
    fragment = '';
  }

  const fields = readFields(query, KNOWN_KEYS);
  const hashFields = readFields(fragment, ['m']);
  for (const [key, f] of [...fields, ...[...hashFields].map(([k, v]) => [`#${k}`, v] as const)]) {
    if (f.count > 1) {
      warnings.push(
        `${key} appears ${f.count} times in the link; used the first (${show(key, f.value)})`,
      );
    }
  }

  const state: {
    -readonly [K in keyof ShareState]: ShareState[K];
  } = defaultShareState();
  state.mapSource = parseMapSource(fields, hashFields.get('m'), warnings);

  const view = fields.get('view');
  if (view) {
    if ((SHARE_VIEWS as readonly string[]).includes(view.value))
      state.view = view.value as ShareViewId;
    else
      warnings.push(`ignored ${show('view', view.value)}: not a view (${SHARE_VIEWS.join(', ')})`);
  }
  const items = fields.get('items');
  if (items) state.selected = parseItems(items.value, warnings);
  const k = fields.get('k');
  if (k) state.k = parseK(k.value, warnings);
  const noise = fields.get('noise');
  if (noise) state.noise = parseNoise(noise.value, warnings);
  const embed = fields.get('embed');
  if (embed) state.embed = parseFlag('embed', embed.value, warnings);
  const q = fields.get('q');
  if (q) {
    const text = parseQuery(q.value, warnings);
    if (text !== undefined) state.query = text;
  }
  const cmp = fields.get('cmp');
  if (cmp) {
    const compare = parseCompare(cmp.value, warnings);
    if (compare.length > 0) state.compare = compare;
  }
  const item = fields.get('item');
  if (item) {
    const i = parseIndex('item', item.value, MAX_ITEM_INDEX, warnings);
    if (i !== undefined) state.item = i;
  }
  const unit = fields.get('unit');
  if (unit) {
    const u = parseIndex('unit', unit.value, MAX_UNIT_INDEX, warnings);
    if (u !== undefined) state.unit = u;
  }
  const alg = fields.get('alg');
  if (alg) {
    const algebra = parseAlgebra(alg.value, warnings);
    if (algebra !== undefined) state.algebra = algebra;
  }
  return state;
}

/** A whole number from 0 to `max` (at most 10 digits), or undefined with a warning. */
function parseIndex(
  key: string,
  value: string,
  max: number,
  warnings: string[],
): number | undefined {
  const n = /^\d{1,10}$/.test(value) ? Number(value) : NaN;
  if (!(n <= max)) {
    warnings.push(`ignored ${show(key, value)}: write a whole number from 0 to ${max}`);
    return undefined;
  }
  return n;
}

/** `cmp=3,17,3~17`: entries kept in order; bad, repeated and surplus ones dropped with warnings. */
function parseCompare(value: string, warnings: string[]): CompareEntry[] {
  const out: CompareEntry[] = [];
  const seen = new Set<string>();
  const bad: string[] = [];
  let extra = 0;
  // Bound the work on a hostile value: a valid one has at most 6 entries of 3 parts.
  for (const part of value.split(',', 64)) {
    // `~` joins a mixture's parts; a typed `+` arrives as a space (form encoding), so it does too.
    const pieces = part.split(/[~ ]/);
    const nums = pieces.map((p) => (/^\d{1,10}$/.test(p) ? Number(p) : NaN));
    const valid =
      nums.every((n) => n <= MAX_ITEM_INDEX) &&
      (nums.length === 1 ||
        (nums.length >= MIN_MIX_PARTS_IN_LINK &&
          nums.length <= MAX_MIX_PARTS_IN_LINK &&
          new Set(nums).size === nums.length));
    if (!valid) {
      if (bad.length < 3) bad.push(clip(part));
      continue;
    }
    const entry: CompareEntry = nums.length === 1 ? nums[0] : nums;
    const key = entryKey(entry);
    if (seen.has(key)) continue;
    seen.add(key);
    if (out.length < MAX_COMPARE_ENTRIES) out.push(entry);
    else extra++;
  }
  if (bad.length > 0) {
    warnings.push(
      `ignored compare entries (${bad.join(', ')}): write item numbers, or a mixture as 3~17 (2 or 3 different items)`,
    );
  }
  if (extra > 0) {
    warnings.push(`kept the first ${MAX_COMPARE_ENTRIES} compare entries of ${out.length + extra}`);
  }
  return out;
}

/** `alg=union:3,17`: the operation and its operands, or undefined with a warning. */
function parseAlgebra(value: string, warnings: string[]): AlgebraState | undefined {
  const colon = value.indexOf(':');
  const op = colon < 0 ? value : value.slice(0, colon);
  if (!(ALGEBRA_OPS as readonly string[]).includes(op)) {
    warnings.push(
      `ignored ${show('alg', value)}: the operation is one of ${ALGEBRA_OPS.join(', ')}`,
    );
    return undefined;
  }
  const list = colon < 0 ? [] : value.slice(colon + 1).split(',', MAX_ALGEBRA_OPERANDS + 1);
  const operands = list.map((p) => (/^\d{1,10}$/.test(p) ? Number(p) : NaN));
  if (
    operands.length === 0 ||
    operands.length > MAX_ALGEBRA_OPERANDS ||
    !operands.every((n) => n <= MAX_ITEM_INDEX)
  ) {
    warnings.push(
      `ignored ${show('alg', value)}: write e.g. alg=union:3,17 (1 to ${MAX_ALGEBRA_OPERANDS} item numbers)`,
    );
    return undefined;
  }
  return { op: op as AlgebraOp, operands };
}

/** The first value and the number of occurrences of each wanted key. */
function readFields(text: string, wanted: readonly string[]): Map<string, Field> {
  const out = new Map<string, Field>();
  if (text === '') return out;
  for (const [key, value] of new URLSearchParams(text)) {
    if (!wanted.includes(key)) continue;
    const seen = out.get(key);
    if (seen) seen.count++;
    else out.set(key, { value, count: 1 });
  }
  return out;
}

function parseMapSource(
  fields: Map<string, Field>,
  inline: Field | undefined,
  warnings: string[],
): MapSource | null {
  const candidates: Array<{
    label: string;
    source: MapSource;
    problem: string | null;
    name: string;
  }> = [];
  if (inline) {
    candidates.push({
      label: 'the map inside the link',
      name: 'the map inside the link',
      source: { kind: 'inline', data: inline.value },
      problem: inlineMapProblem(inline.value),
    });
  }
  const url = fields.get('map');
  if (url) {
    candidates.push({
      // Never repeat a password back on the page, even the user's own.
      label: show('map', url.value.replace(/\/\/[^/?#]*@/, '//…@')),
      name: 'the map at that address',
      source: { kind: 'url', url: url.value },
      problem: mapUrlProblem(url.value),
    });
  }
  const library = fields.get('library');
  if (library) {
    candidates.push({
      label: show('library', library.value),
      name: `the library map ${clip(library.value)}`,
      source: { kind: 'library', id: library.value },
      problem: idProblem(library.value),
    });
  }
  const builtin = fields.get('builtin');
  if (builtin) {
    // `concepts@1`: the id, then the version the sender saw (absent: the page's current one).
    const at = builtin.value.lastIndexOf('@');
    const id = at < 0 ? builtin.value : builtin.value.slice(0, at);
    const versionText = at < 0 ? null : builtin.value.slice(at + 1);
    let version: number | undefined;
    if (versionText !== null) {
      const v = /^\d{1,6}$/.test(versionText) ? Number(versionText) : NaN;
      if (v >= 1) version = v;
      else {
        warnings.push(
          `ignored the version in ${show('builtin', builtin.value)}: write a whole number from 1 to ${MAX_BUILTIN_VERSION}, e.g. builtin=${clip(id)}@1; opening the current version`,
        );
      }
    }
    candidates.push({
      label: show('builtin', builtin.value),
      name: `the built-in map ${clip(id)}`,
      source: version !== undefined ? { kind: 'builtin', id, version } : { kind: 'builtin', id },
      problem: idProblem(id),
    });
  }
  let chosen: (typeof candidates)[number] | null = null;
  for (const c of candidates) {
    if (c.problem !== null) warnings.push(`ignored ${c.label}: ${c.problem}`);
    else if (chosen === null) chosen = c;
    else warnings.push(`ignored ${c.label}: a link opens one map; using ${chosen.name}`);
  }
  return chosen?.source ?? null;
}

function parseItems(value: string, warnings: string[]): number[] {
  if (value === '') return [];
  const parts = value.split(',');
  const out: number[] = [];
  const seen = new Set<number>();
  const bad: string[] = [];
  let badCount = 0;
  let repeated = 0;
  let valid = 0;
  for (const part of parts) {
    const n = /^\d{1,10}$/.test(part) ? Number(part) : NaN;
    if (!(n <= MAX_ITEM_INDEX)) {
      badCount++;
      if (bad.length < 3) bad.push(clip(part));
      continue;
    }
    if (seen.has(n)) {
      repeated++;
      continue;
    }
    seen.add(n);
    valid++;
    if (out.length < MAX_SELECTED) out.push(n);
  }
  if (badCount > 0) {
    warnings.push(
      `ignored ${badCount} ${badCount === 1 ? 'entry' : 'entries'} of items (${bad.join(', ')}${badCount > bad.length ? ', …' : ''}): item numbers are whole numbers from 0 to ${MAX_ITEM_INDEX}`,
    );
  }
  if (repeated > 0) {
    warnings.push(`ignored ${repeated} repeated ${repeated === 1 ? 'entry' : 'entries'} of items`);
  }
  if (valid > MAX_SELECTED) {
    warnings.push(
      `kept the first ${MAX_SELECTED} of ${valid} items: a link selects at most ${MAX_SELECTED}`,
    );
  }
  return out;
}

function parseK(value: string, warnings: string[]): number | null {
  const n = parseNumber(value);
  if (Number.isNaN(n)) {
    warnings.push(`ignored ${show('k', value)}: not a number`);
    return null;
  }
  if (Number.isFinite(n) && !Number.isInteger(n)) {
    warnings.push(`ignored ${show('k', value)}: not a whole number`);
    return null;
  }
  if (n < K_MIN || n > K_MAX) {
    const clamped = n < K_MIN ? K_MIN : K_MAX;
    warnings.push(`${show('k', value)} is outside ${K_MIN}–${K_MAX}; using k=${clamped}`);
    return clamped;
  }
  return n;
}

function parseNoise(value: string, warnings: string[]): NoiseSettings | null {
  const levels: Record<NoiseKind, number> = { move: 0, drop: 0, flip: 0, embed: 0 };
  if (value === 'none') return levels;
  const seen = new Set<NoiseKind>();
  const bad: string[] = [];
  for (const part of value.split(',')) {
    const colon = part.indexOf(':');
    const name = colon < 0 ? part : part.slice(0, colon);
    const raw = colon < 0 ? '' : part.slice(colon + 1);
    if (!(NOISE_KINDS as readonly string[]).includes(name)) {
      if (bad.length < 4) bad.push(`${clip(part)}: not a noise kind (${NOISE_KINDS.join(', ')})`);
      continue;
    }
    const kind = name as NoiseKind;
    if (seen.has(kind)) {
      if (bad.length < 4) bad.push(`${kind} given twice; used the first`);
      continue;
    }
    const v = parseNumber(raw);
    if (Number.isNaN(v)) {
      if (bad.length < 4) bad.push(`${show(kind, raw)}: not a number`);
      continue;
    }
    seen.add(kind);
    const clamped = v < 0 ? 0 : v > 1 ? 1 : v === 0 ? 0 : v; // also turns -0 into 0
    if (clamped !== v) bad.push(`${show(kind, raw)} is outside 0–1; using ${kind}:${clamped}`);
    levels[kind] = clamped;
  }
  for (const b of bad) warnings.push(`noise: ${b}`);
  if (seen.size === 0) {
    warnings.push(
      `ignored ${show('noise', value)}: no valid level (write e.g. noise=move:0.1,drop:0.05)`,
    );
    return null;
  }
  return levels;
}

function parseFlag(key: string, value: string, warnings: string[]): boolean {
  const v = value.toLowerCase();
  if (v === '' || v === '1' || v === 'true' || v === 'yes' || v === 'on') return true;
  if (v === '0' || v === 'false' || v === 'no' || v === 'off') return false;
  warnings.push(`ignored ${show(key, value)}: write ${key}=1 or ${key}=0`);
  return false;
}

function parseQuery(value: string, warnings: string[]): string | undefined {
  let text = value.replace(LONE_SURROGATE, '\ufffd');
  const cleaned = text.replace(CONTROL_CHARS, '');
  if (cleaned.length !== text.length) {
    warnings.push('removed control characters from the query text');
    text = cleaned;
  }
  const chars = Array.from(text);
  if (chars.length > MAX_QUERY_CHARS) {
    warnings.push(`shortened the query text from ${chars.length} to ${MAX_QUERY_CHARS} characters`);
    text = chars.slice(0, MAX_QUERY_CHARS).join('');
  }
  return text === '' ? undefined : text;
}

/** A strict decimal number (NaN for anything else: hex, words, blanks, 'Infinity'). */
function parseNumber(text: string): number {
  return NUMBER_PATTERN.test(text) ? Number(text) : NaN;
}

/** `key=value` for a warning. */
function show(key: string, value: string): string {
  return `${key}=${clip(value)}`;
}

/** A value as a warning quotes it: at most 40 characters, control characters made visible. */
function clip(value: string): string {
  const head = value.length > 200 ? value.slice(0, 200) : value; // bound the work on huge values
  const clean = head.replace(CONTROL_CHARS, '\ufffd').replace(LONE_SURROGATE, '\ufffd');
  const chars = Array.from(clean);
  return chars.length > 40 ? `${chars.slice(0, 40).join('')}…` : clean;
}

/**
 * Percent-encode a value for a query string, but leave `,`, `:`, `/` and `@` readable: RFC 3986
 * allows them in a query and URLSearchParams reads them back unchanged.
 */
function encodeValue(value: string): string {
  return encodeURIComponent(value).replace(/%(?:2C|3A|2F|40)/g, (m) => decodeURIComponent(m));
}

function codePointLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}
