/**
 * The sentence a thrown value carries, for messages to a person and log lines: an Error's
 * message (its name, e.g. "TypeError", when the message is empty), anything else as String()
 * gives it. One helper, so every place that says why something failed says it the same way.
 */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message || String(error) : String(error);
}
