/**
 * Errors for files that cannot be read. Each carries a one-line message meant for a person
 * ("file is truncated: …"), never a stack-trace riddle, so the page and the CLI can show it as is.
 * Catch `FileFormatError` to handle every reader's refusal at once.
 */
export class FileFormatError extends Error {
  constructor(message: string) {
    // One line, always: messages may quote file content (a JSON parser's excerpt, a cell).
    super(message.replace(/\s*[\r\n]+\s*/g, ' '));
    this.name = new.target.name;
  }
}

/** An integer with thousands separators, "1,000,000", the same in every locale (no Intl). */
export function formatCount(n: number): string {
  return Number.isSafeInteger(n) ? String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',') : String(n);
}

/** A `.npy` file that is malformed, truncated or of an unsupported dtype/layout. */
export class NpyError extends FileFormatError {}

/** An embeddings (or labels) file: CSV/TSV, JSON or `.npy`, that cannot be used. */
export class EmbeddingsError extends FileFormatError {}

/** A `.sdrmap` file (or share-link payload) that is damaged, too large, or from a newer version. */
export class MapFileError extends FileFormatError {}
