/**
 * What happens to files once they are in hand (dropped, picked or pasted): images are embedded,
 * embeddings files imported with their labels, text files split into lines, and anything else
 * named in one clear message. Folder walks also report entries they could not read.
 */
import { routeFiles, type LabelledFile } from '../../lib/fileKinds.ts';
import type { WalkResult } from '../../lib/folderWalk.ts';
import type { DataSlice } from '../../store/dataSlice.ts';
import type { ViewSlice } from '../../store/viewSlice.ts';

export type IngestActions = Pick<DataSlice, 'addFiles' | 'addTexts' | 'importEmbeddings'> &
  Pick<ViewSlice, 'notify'>;

function listNames(names: readonly string[], max = 3): string {
  const shown = names.slice(0, max).join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

/**
 * Route and hand over `files`. Files inside folders that are not images are passed over (a
 * photo folder's sidecar files are not mistakes) and counted in one message; loose files the
 * app cannot use are named. Resolves once every job it started has finished.
 */
export async function ingestFiles(
  files: readonly LabelledFile[],
  actions: IngestActions,
): Promise<void> {
  const routed = routeFiles(files);
  const inFolder = new Set(files.filter((f) => f.label !== undefined).map((f) => f.file));
  const looseOther = routed.other.filter((f) => !inFolder.has(f));
  const folderOther =
    routed.other.length -
    looseOther.length +
    routed.texts.filter((f) => inFolder.has(f)).length +
    routed.embeddings.filter((e) => inFolder.has(e.file)).length;
  if (looseOther.length > 0) {
    actions.notify(
      'error',
      `Cannot use ${listNames(looseOther.map((f) => f.name))}: not an image, a text file or an embeddings file (.npy, .csv, .tsv, .json).`,
    );
  }
  if (folderOther > 0) {
    actions.notify(
      'info',
      `Passed over ${folderOther} file${folderOther === 1 ? '' : 's'} in the folders that ${folderOther === 1 ? 'is' : 'are'} not an image.`,
    );
  }
  const jobs: Promise<unknown>[] = [];
  for (const emb of routed.embeddings) {
    if (inFolder.has(emb.file)) continue;
    // One at a time: each import checks its dimension against what the previous one added.
    await actions.importEmbeddings(emb.file, emb.labels);
  }
  if (routed.images.length > 0) jobs.push(actions.addFiles(routed.images));
  for (const txt of routed.texts) {
    if (inFolder.has(txt)) continue;
    jobs.push(txt.text().then((text) => actions.addTexts(text, 'lines', txt.name)));
  }
  await Promise.all(jobs);
}

/** Tell the person about folder entries the browser would not read, and a cut-short walk. */
export function reportWalk(result: WalkResult, notify: IngestActions['notify']): void {
  if (result.errors.length > 0) {
    const first = result.errors[0];
    notify(
      'error',
      result.errors.length === 1
        ? `Could not read ${first.path}: ${first.message}`
        : `Could not read ${result.errors.length} entries, e.g. ${first.path}: ${first.message}`,
    );
  }
  if (result.truncated) {
    notify(
      'info',
      `Only the first ${result.files.length} files were taken; the rest were left out.`,
    );
  }
}
