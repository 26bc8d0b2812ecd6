/**
 * Sorting what a person drops or picks into what the app does with it: images are embedded,
 * embedding files (.npy, .csv, .tsv, .json) are imported with their labels file when one came along,
 * and plain text files become text items, one per line.
 */

/** A file and, when it came from inside a folder, that folder's name as its label. */
export interface LabelledFile {
  readonly file: File;
  /** The name of the folder the file was in; absent for files dropped or picked on their own. */
  readonly label?: string;
}

export type FileKind = 'image' | 'embeddings' | 'text' | 'other';

const IMAGE_EXTENSIONS = new Set([
  'png',
  'jpg',
  'jpeg',
  'jfif',
  'webp',
  'gif',
  'bmp',
  'avif',
  'heic',
  'heif',
  'tif',
  'tiff',
]);
const EMBEDDING_EXTENSIONS = new Set(['npy', 'csv', 'tsv', 'json']);
const TEXT_EXTENSIONS = new Set(['txt']);

/** The lower-case extension of a file name without the dot; '' when it has none. */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot <= 0 || dot === name.length - 1 ? '' : name.slice(dot + 1).toLowerCase();
}

/** The file name without its last extension: `cat.photo.jpg` → `cat.photo`. */
export function stemOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? name : name.slice(0, dot);
}

/**
 * What kind of input a file is, from its MIME type first and its extension second (folders
 * walked by the browser often give an empty type). HEIC and TIFF count as images so the embed
 * worker can say clearly when this browser cannot decode them, instead of skipping them quietly.
 */
export function classifyFile(name: string, type: string): FileKind {
  const ext = extensionOf(name);
  if (type.startsWith('image/') || IMAGE_EXTENSIONS.has(ext)) return 'image';
  if (EMBEDDING_EXTENSIONS.has(ext)) return 'embeddings';
  if (TEXT_EXTENSIONS.has(ext) || type === 'text/plain') return 'text';
  return 'other';
}

/** An embeddings file and the labels file that came with it, if any. */
interface EmbeddingsImport {
  readonly file: File;
  readonly labels?: File;
}

export interface RoutedFiles {
  readonly images: LabelledFile[];
  readonly embeddings: EmbeddingsImport[];
  /** Plain text files that are not the labels file of an embeddings file: one item per line. */
  readonly texts: File[];
  /** Files that are none of the above (a PDF, say): the caller tells the person by name. */
  readonly other: File[];
}

/**
 * Route a mixed set of files. A `.txt` file is an embeddings file's labels when its name
 * starts with that file's stem (`coco-80.npy` takes `coco-80.labels.txt` or `coco-80.txt`);
 * the longest matching stem wins, so `a.npy` and `ab.npy` each find their own labels. When
 * exactly one embeddings file and one text file come together, the text file is its labels
 * whatever its name.
 */
export function routeFiles(files: readonly LabelledFile[]): RoutedFiles {
  const images: LabelledFile[] = [];
  const embeddingFiles: File[] = [];
  const textFiles: File[] = [];
  const other: File[] = [];
  for (const entry of files) {
    const kind = classifyFile(entry.file.name, entry.file.type);
    if (kind === 'image') images.push(entry);
    else if (kind === 'embeddings') embeddingFiles.push(entry.file);
    else if (kind === 'text') textFiles.push(entry.file);
    else other.push(entry.file);
  }
  const labelsFor = new Map<File, File>();
  const texts: File[] = [];
  for (const txt of textFiles) {
    let best: File | undefined;
    let bestLength = -1;
    for (const emb of embeddingFiles) {
      const stem = stemOf(emb.name);
      if (labelsFor.has(emb) || stem.length <= bestLength) continue;
      if (txt.name.startsWith(`${stem}.`)) {
        best = emb;
        bestLength = stem.length;
      }
    }
    if (best) labelsFor.set(best, txt);
    else texts.push(txt);
  }
  // One embeddings file and one other text file brought together: the text is its labels.
  if (embeddingFiles.length === 1 && labelsFor.size === 0 && texts.length === 1) {
    labelsFor.set(embeddingFiles[0], texts.pop() as File);
  }
  const embeddings = embeddingFiles.map((file) => {
    const labels = labelsFor.get(file);
    return labels ? { file, labels } : { file };
  });
  return { images, embeddings, texts, other };
}
