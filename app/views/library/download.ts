/**
 * Save bytes as a file through the browser's download, with a file name. The object URL is
 * revoked once the click has been handled, so repeated downloads do not leak memory.
 */
import { SDRMAP_MIME } from '../../db/maps.ts';

export function downloadBytes(bytes: Uint8Array, fileName: string, type = SDRMAP_MIME): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Put text on the clipboard; false when the browser refuses (no permission, no focus). */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
