/**
 * What a second Ctrl-C may do. The first one asks a long command to stop at the next safe
 * point (CliIo.signal); a second one normally ends the process at once. While a command is
 * saving finished work (the map of the last finished epoch), it marks that here, and a second
 * Ctrl-C then waits for the save instead of throwing the work away.
 */

let keeping: string | null = null;

/**
 * Mark (`what`, e.g. "the map of epoch 12") or clear (null) work that a second Ctrl-C must not
 * discard.
 */
export function keepOnInterrupt(what: string | null): void {
  keeping = what;
}

/** The work being kept, or null when a second Ctrl-C may end the process at once. */
export function keptWork(): string | null {
  return keeping;
}
