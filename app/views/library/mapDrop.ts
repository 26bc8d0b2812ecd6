/**
 * Dropping a `.sdrmap` file anywhere on the page opens it as the map. The data panel's drop zone
 * hands such files over itself (and marks its drop handled); this catches drops everywhere else,
 * where the browser would otherwise navigate away to the file. Other files dropped outside the
 * drop zone are pointed to it.
 */
import { useAppStore } from '../../store/index.ts';

/** Whether a file name is a map file (`.sdrmap`, any case). */
export function isMapFileName(name: string): boolean {
  return /\.sdrmap$/i.test(name);
}

/** Split files into map files and the rest, keeping their order. */
export function splitMapFiles<T extends { readonly name: string }>(
  files: readonly T[],
): { maps: T[]; rest: T[] } {
  const maps: T[] = [];
  const rest: T[] = [];
  for (const f of files) (isMapFileName(f.name) ? maps : rest).push(f);
  return { maps, rest };
}

/** Open dropped map files one after another (the last one stays on screen). */
export async function openDroppedMaps(files: readonly File[]): Promise<void> {
  for (const file of files) await useAppStore.getState().openMapFile(file);
}

/** Listen for drops on the whole page; returns the function that stops. */
export function startMapDrop(): () => void {
  const hasFiles = (e: DragEvent) => e.dataTransfer?.types.includes('Files') ?? false;
  const onDragOver = (e: DragEvent) => {
    if (!hasFiles(e) || e.defaultPrevented) return;
    // Allow the drop here (the default would open the file in place of the page).
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
  };
  const onDrop = (e: DragEvent) => {
    if (e.defaultPrevented || !e.dataTransfer) return; // the drop zone took it
    const files = Array.from(e.dataTransfer.files);
    if (files.length === 0) return;
    e.preventDefault();
    const { maps, rest } = splitMapFiles(files);
    if (rest.length > 0) {
      useAppStore
        .getState()
        .notify(
          'info',
          `Drop images, text and embedding files on the Data panel's drop zone; ${rest.length === 1 ? 'this file was' : `these ${rest.length} files were`} not added here. Only .sdrmap map files open anywhere on the page.`,
        );
    }
    void openDroppedMaps(maps);
  };
  window.addEventListener('dragover', onDragOver);
  window.addEventListener('drop', onDrop);
  return () => {
    window.removeEventListener('dragover', onDragOver);
    window.removeEventListener('drop', onDrop);
  };
}
