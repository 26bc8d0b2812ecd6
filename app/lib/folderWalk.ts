/**
 * Walking what a person drops or picks (loose files and whole folders) into a flat list of
 * files, each labelled with the name of the folder it was in. Two browser APIs give folders:
 * the old `DataTransferItem.webkitGetAsEntry()` (every engine) and the newer
 * `getAsFileSystemHandle()` (Chromium); the folder picker (`<input webkitdirectory>`) gives
 * files with a `webkitRelativePath` instead. All three end up as `LabelledFile`s here.
 */
import type { LabelledFile } from './fileKinds.ts';
import { errorMessage } from '../../src/index.ts';

/** The part of the File System Access handle API the walk uses (absent from TS's DOM lib). */
interface FileHandleLike {
  readonly kind: 'file';
  readonly name: string;
  getFile(): Promise<File>;
}
export interface DirectoryHandleLike {
  readonly kind: 'directory';
  readonly name: string;
  values(): AsyncIterable<FileHandleLike | DirectoryHandleLike>;
}
export type HandleLike = FileHandleLike | DirectoryHandleLike;

/** One thing dropped at the top level: a folder-capable entry or handle, or a plain file. */
export type DroppedSource =
  | { readonly entry: FileSystemEntry }
  | { readonly handle: Promise<HandleLike | null>; readonly file: File | null }
  | { readonly file: File };

export interface WalkOptions {
  /** Stop after this many files so a dropped home folder cannot hang the page. Default 20000, at least 1. */
  readonly maxFiles?: number;
}

export interface WalkResult {
  readonly files: LabelledFile[];
  /** Entries the browser would not read, by path, with the reason. The walk goes on past them. */
  readonly errors: { readonly path: string; readonly message: string }[];
  /** True when `maxFiles` was reached and the rest was left out. */
  readonly truncated: boolean;
}

interface DataTransferItemWithHandle extends DataTransferItem {
  getAsFileSystemHandle?: () => Promise<HandleLike | null>;
}

/**
 * Take the sources out of a drop's DataTransfer. This MUST run synchronously inside the drop
 * handler: the browser empties the DataTransfer once the handler returns, so entries, handles
 * and files are all grabbed here and walked afterwards.
 */
export function sourcesFromDataTransfer(dt: DataTransfer): DroppedSource[] {
  const sources: DroppedSource[] = [];
  const items = Array.from(dt.items);
  for (const item of items) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry?.() ?? null;
    if (entry) {
      sources.push({ entry });
      continue;
    }
    const withHandle = item as DataTransferItemWithHandle;
    const file = item.getAsFile();
    if (typeof withHandle.getAsFileSystemHandle === 'function') {
      sources.push({ handle: withHandle.getAsFileSystemHandle(), file });
    } else if (file) {
      sources.push({ file });
    }
  }
  // Some synthetic or older DataTransfers list files but no items.
  if (sources.length === 0) for (const file of Array.from(dt.files)) sources.push({ file });
  return sources;
}

/** Whether a name is a hidden or system file (`.DS_Store`, `Thumbs.db`) to pass over. */
function isHiddenName(name: string): boolean {
  return name.startsWith('.') || name === 'Thumbs.db' || name === 'desktop.ini';
}

class Walker {
  readonly files: LabelledFile[] = [];
  readonly errors: { path: string; message: string }[] = [];
  truncated = false;
  constructor(private readonly maxFiles: number) {}

  get full(): boolean {
    return this.files.length >= this.maxFiles;
  }

  add(file: File, label: string | undefined): void {
    if (this.full) {
      this.truncated = true;
      return;
    }
    this.files.push(label === undefined ? { file } : { file, label });
  }

  fail(path: string, error: unknown): void {
    this.errors.push({ path, message: errorMessage(error) });
  }

  async entry(entry: FileSystemEntry, parent: string | undefined, path: string): Promise<void> {
    if (this.full) {
      this.truncated = true;
      return;
    }
    if (parent !== undefined && isHiddenName(entry.name)) return;
    if (entry.isFile) {
      try {
        this.add(await fileOfEntry(entry as FileSystemFileEntry), parent);
      } catch (e) {
        this.fail(path, e);
      }
    } else if (entry.isDirectory) {
      let children: FileSystemEntry[];
      try {
        children = await readAllEntries(entry as FileSystemDirectoryEntry);
      } catch (e) {
        this.fail(path, e);
        return;
      }
      for (const child of children) await this.entry(child, entry.name, `${path}/${child.name}`);
    }
  }

  async handle(handle: HandleLike, parent: string | undefined, path: string): Promise<void> {
    if (this.full) {
      this.truncated = true;
      return;
    }
    if (parent !== undefined && isHiddenName(handle.name)) return;
    if (handle.kind === 'file') {
      try {
        this.add(await handle.getFile(), parent);
      } catch (e) {
        this.fail(path, e);
      }
      return;
    }
    try {
      for await (const child of handle.values()) {
        await this.handle(child, handle.name, `${path}/${child.name}`);
        if (this.truncated) return;
      }
    } catch (e) {
      this.fail(path, e);
    }
  }
}

function fileOfEntry(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

/** A directory reader hands out entries in chunks (100 at a time in Chromium) until it gives []. */
async function readAllEntries(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const all: FileSystemEntry[] = [];
  for (;;) {
    const chunk = await new Promise<FileSystemEntry[]>((resolve, reject) =>
      reader.readEntries(resolve, reject),
    );
    if (chunk.length === 0) return all;
    all.push(...chunk);
  }
}

function checkOptions(options: WalkOptions): number {
  const maxFiles = options.maxFiles ?? 20000;
  if (!Number.isInteger(maxFiles) || maxFiles < 1) {
    throw new Error(`maxFiles must be a whole number of at least 1, got ${maxFiles}`);
  }
  return maxFiles;
}

/**
 * Walk dropped sources depth first, in the order the browser lists them. Files inside a folder
 * (at any depth) are labelled with the name of the folder that directly holds them; files
 * dropped on their own carry no label. Hidden files inside folders are passed over.
 */
export async function walkDropped(
  sources: readonly DroppedSource[],
  options: WalkOptions = {},
): Promise<WalkResult> {
  const walker = new Walker(checkOptions(options));
  for (const source of sources) {
    if ('entry' in source) {
      await walker.entry(source.entry, undefined, source.entry.name);
    } else if ('handle' in source) {
      let handle: HandleLike | null = null;
      try {
        handle = await source.handle;
      } catch {
        handle = null; // fall back to the plain file the browser also gave
      }
      if (handle) await walker.handle(handle, undefined, handle.name);
      else if (source.file) walker.add(source.file, undefined);
    } else {
      walker.add(source.file, undefined);
    }
    if (walker.truncated) break;
  }
  return { files: walker.files, errors: walker.errors, truncated: walker.truncated };
}

/**
 * Files from a file input. With `webkitdirectory` each file knows its path inside the picked
 * folder (`holiday/beach/1.jpg`), and the folder that directly holds it becomes its label;
 * plain picks have no path and no label. Hidden files inside folders are passed over.
 */
export function filesFromInput(files: Iterable<File>): LabelledFile[] {
  const out: LabelledFile[] = [];
  for (const file of files) {
    const parts = (file.webkitRelativePath ?? '').split('/').filter((p) => p !== '');
    if (parts.length < 2) {
      out.push({ file });
      continue;
    }
    if (parts.some(isHiddenName)) continue;
    out.push({ file, label: parts[parts.length - 2] });
  }
  return out;
}
