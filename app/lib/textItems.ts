/**
 * Turning typed or pasted text into text items: either one item per line, or the whole text
 * as one item. Splitting happens here, before anything is embedded, so the person sees exactly
 * which items will be made.
 */
import { cleanText } from '../../src/index.ts';

/** 'lines': one item per non-empty line. 'paragraph': the whole text is one item. */
export type TextMode = 'lines' | 'paragraph';

/**
 * The items `text` makes in `mode`. Lines are trimmed; blank lines are dropped; Windows and
 * old Mac line ends count as line ends. In 'paragraph' mode inner line breaks are kept (CLIP's
 * tokenizer treats them as spaces) and only the ends are trimmed. Empty or blank text gives [].
 */
export function splitTextItems(text: string, mode: TextMode): string[] {
  if (mode === 'paragraph') {
    const whole = text.trim();
    return whole === '' ? [] : [whole];
  }
  const out: string[] = [];
  for (const line of text.split(/\r\n|\r|\n/)) {
    const t = line.trim();
    if (t !== '') out.push(t);
  }
  return out;
}

/**
 * A short label for a text item: the text itself, with runs of white space collapsed and
 * control or bidirectional characters removed (cleanText), cut to
 * `maxChars` (default 60, at least 8) with an ellipsis so lists stay one line high.
 */
export function textLabel(text: string, maxChars = 60): string {
  if (!Number.isInteger(maxChars) || maxChars < 8) {
    throw new RangeError(`textLabel: maxChars must be an integer of at least 8, got ${maxChars}`);
  }
  const flat = cleanText(text.replace(/\s+/g, ' ').trim(), { maxLength: Infinity });
  return flat.length <= maxChars ? flat : `${flat.slice(0, maxChars - 1).trimEnd()}…`;
}
