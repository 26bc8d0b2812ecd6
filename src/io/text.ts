/**
 * Text safety for names and labels, in one place for the page and the command line.
 *
 * Labels come from files and folders nobody checked: they may hold control characters (which the
 * map file refuses, so one bad label would block saving a whole map), bidirectional overrides
 * such as U+202E (which make "exe.txt" read as "txt.exe"), broken UTF-16, or megabytes of text.
 * Imports clean them here once; messages quote hostile text through `quoteForMessage`.
 */

/** C0 controls, DEL and C1 controls. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point.
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * Bidirectional formatting characters that change how surrounding text reads: the Arabic
 * letter mark, left-to-right and right-to-left marks, embeddings and overrides (U+202A–U+202E)
 * and isolates (U+2066–U+2069).
 */
export const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** A high surrogate without its low half, or a low one without its high half. */
export const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g; // prettier-ignore

/** Controls and bidirectional formatting characters together (global). */
export const UNSAFE_CHARS = new RegExp(`${CONTROL_CHARS.source.slice(0, -1)}${BIDI_CONTROLS.source.slice(1)}`, 'g'); // prettier-ignore

const HAS_UNSAFE = new RegExp(UNSAFE_CHARS.source);
const HAS_LONE_SURROGATE = new RegExp(LONE_SURROGATE.source);
/** Control characters that are white space in the text they came from: they become a space. */
const CONTROL_SPACE = /[\t\n\v\f\r\u0085]+/g;

/** Whether `s` holds a control character, a bidirectional formatting character or broken UTF-16. */
export function hasUnsafeText(s: string): boolean {
  return HAS_UNSAFE.test(s) || HAS_LONE_SURROGATE.test(s);
}

/**
 * Why `s` is not plain text as the map file stores it (a C0 control or DEL, a broken surrogate
 * pair), or null. C1 controls and bidirectional characters pass: maps written before imports
 * cleaned them must stay readable; `cleanText` keeps new ones out.
 */
export function plainTextProblem(s: string): string | null {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f)
      return `holds control character U+${c.toString(16).padStart(4, '0').toUpperCase()}`;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return 'holds a broken UTF-16 surrogate';
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return 'holds a broken UTF-16 surrogate';
  }
  return null;
}

/**
 * `s` cut to at most `max` UTF-16 units, never between the halves of a surrogate pair, with
 * `…` as the last character when anything was cut.
 */
export function capLength(s: string, max: number): string {
  if (s.length <= max) return s;
  if (max < 1) return '';
  let end = max - 1;
  const last = s.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${s.slice(0, end)}…`;
}

export interface CleanTextOptions {
  /** Longest result in UTF-16 units, an ellipsis included; default 1,000 (the map file's label limit). */
  readonly maxLength?: number;
}

/** The longest label the map file accepts by default (mapFile DEFAULT_MAP_FILE_LIMITS). */
export const MAX_LABEL_LENGTH = 1000;

/**
 * `s` made safe to store and show as a label or name: tabs, line breaks and other white-space
 * controls become one space; every other control character and every bidirectional formatting
 * character is removed; a broken surrogate becomes U+FFFD; the ends are trimmed; the result is
 * capped at `maxLength` (default 1,000). Clean text comes back unchanged.
 */
export function cleanText(s: string, options: CleanTextOptions = {}): string {
  const max = options.maxLength ?? MAX_LABEL_LENGTH;
  let out = s;
  if (hasUnsafeText(out)) {
    out = out
      .replace(CONTROL_SPACE, ' ')
      .replace(UNSAFE_CHARS, '')
      .replace(LONE_SURROGATE, '\ufffd')
      .trim();
  }
  return capLength(out, max);
}

/**
 * Server- or user-supplied text for a message: unsafe characters removed and at most `max`
 * characters (default 80), so a hostile name can neither break a line nor flood a notice.
 */
export function quoteForMessage(s: string, max = 80): string {
  // Cut first: cleaning megabytes to show 80 characters would waste the work.
  return capLength(cleanText(s.slice(0, max * 4), { maxLength: Infinity }), max);
}
