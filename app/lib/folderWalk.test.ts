import { describe, expect, it } from 'vitest';
import {
  filesFromInput,
  walkDropped,
  type DirectoryHandleLike,
  type DroppedSource,
  type HandleLike,
} from './folderWalk.ts';

// Fake entries shaped like the browser's FileSystemEntry API, with callback-style reads and a
// directory reader that hands out children in small chunks, as Chromium does (100 at a time).
interface FakeTree {
  [name: string]: string | FakeTree | Error;
}

function fileEntry(name: string, body: string | Error): FileSystemEntry {
  return {
    isFile: true,
    isDirectory: false,
    name,
    file(ok: (f: File) => void, fail: (e: Error) => void) {
      if (body instanceof Error) fail(body);
      else ok(new File([body], name));
    },
  } as unknown as FileSystemEntry;
}

function dirEntry(name: string, tree: FakeTree, chunk = 2): FileSystemEntry {
  const children = Object.entries(tree).map(([child, value]) =>
    typeof value === 'string' || value instanceof Error
      ? fileEntry(child, value)
      : dirEntry(child, value, chunk),
  );
  return {
    isFile: false,
    isDirectory: true,
    name,
    createReader() {
      let at = 0;
      return {
        readEntries(ok: (entries: FileSystemEntry[]) => void) {
          const part = children.slice(at, at + chunk);
          at += chunk;
          ok(part);
        },
      };
    },
  } as unknown as FileSystemEntry;
}

function dirHandle(name: string, tree: FakeTree): DirectoryHandleLike {
  return {
    kind: 'directory',
    name,
    async *values(): AsyncIterable<HandleLike> {
      for (const [child, value] of Object.entries(tree)) {
        if (typeof value === 'string') {
          yield { kind: 'file', name: child, getFile: async () => new File([value], child) };
        } else if (value instanceof Error) {
          yield {
            kind: 'file',
            name: child,
            getFile: () => Promise.reject(value),
          };
        } else {
          yield dirHandle(child, value);
        }
      }
    },
  };
}

const summary = (files: { file: File; label?: string }[]) =>
  files.map((f) => `${f.label ?? '-'}:${f.file.name}`);

const animals: FakeTree = {
  cats: { 'a.jpg': 'a', 'b.jpg': 'b', 'c.jpg': 'c', '.DS_Store': 'junk' },
  dogs: { 'd.png': 'd', puppies: { 'e.png': 'e' } },
  'top.jpg': 't',
};

describe('walkDropped with webkitGetAsEntry entries', () => {
  it('labels every file with the folder that holds it, reading chunked directories fully', async () => {
    const sources: DroppedSource[] = [
      { entry: dirEntry('animals', animals) },
      { entry: fileEntry('loose.png', 'l') },
    ];
    const result = await walkDropped(sources);
    expect(summary(result.files)).toEqual([
      'cats:a.jpg',
      'cats:b.jpg',
      'cats:c.jpg',
      'dogs:d.png',
      'puppies:e.png',
      'animals:top.jpg',
      '-:loose.png',
    ]);
    expect(result.errors).toEqual([]);
    expect(result.truncated).toBe(false);
  });

  it('names an unreadable file by its path and goes on with the rest', async () => {
    const result = await walkDropped([
      { entry: dirEntry('pics', { 'bad.jpg': new Error('permission denied'), 'ok.jpg': 'o' }) },
    ]);
    expect(summary(result.files)).toEqual(['pics:ok.jpg']);
    expect(result.errors).toEqual([{ path: 'pics/bad.jpg', message: 'permission denied' }]);
  });

  it('stops at maxFiles and says it left the rest out', async () => {
    const result = await walkDropped([{ entry: dirEntry('animals', animals) }], { maxFiles: 2 });
    expect(result.files).toHaveLength(2);
    expect(result.truncated).toBe(true);
  });

  it('refuses a nonsensical maxFiles with a clear message', async () => {
    await expect(walkDropped([], { maxFiles: 0 })).rejects.toThrow(/maxFiles/);
  });
});

describe('walkDropped with File System Access handles', () => {
  it('walks directory handles the same way as entries', async () => {
    const result = await walkDropped([
      { handle: Promise.resolve(dirHandle('animals', animals)), file: null },
    ]);
    expect(summary(result.files)).toEqual([
      'cats:a.jpg',
      'cats:b.jpg',
      'cats:c.jpg',
      'dogs:d.png',
      'puppies:e.png',
      'animals:top.jpg',
    ]);
  });

  it('falls back to the plain file when the browser gives no handle', async () => {
    const plain = new File(['p'], 'plain.png');
    const result = await walkDropped([
      { handle: Promise.resolve(null), file: plain },
      { handle: Promise.reject(new Error('not allowed')), file: plain },
      { file: plain },
    ]);
    expect(summary(result.files)).toEqual(['-:plain.png', '-:plain.png', '-:plain.png']);
  });

  it('reports a handle file that cannot be read', async () => {
    const result = await walkDropped([
      { handle: Promise.resolve(dirHandle('d', { 'x.png': new Error('gone') })), file: null },
    ]);
    expect(result.files).toEqual([]);
    expect(result.errors).toEqual([{ path: 'd/x.png', message: 'gone' }]);
  });
});

describe('filesFromInput', () => {
  const withPath = (name: string, path: string) => {
    const f = new File(['x'], name);
    Object.defineProperty(f, 'webkitRelativePath', { value: path });
    return f;
  };

  it('labels folder-picked files by their parent folder and skips hidden ones', () => {
    const files = [
      withPath('1.jpg', 'holiday/beach/1.jpg'),
      withPath('2.jpg', 'holiday/2.jpg'),
      withPath('x', 'holiday/.git/x'),
      withPath('plain.jpg', ''),
    ];
    expect(summary(filesFromInput(files))).toEqual(['beach:1.jpg', 'holiday:2.jpg', '-:plain.jpg']);
  });
});
