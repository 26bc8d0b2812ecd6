import { describe, expect, it } from 'vitest';
import { ingestFiles, reportWalk, type IngestActions } from './ingest.ts';

function recorder() {
  const calls: string[] = [];
  const notices: string[] = [];
  const actions: IngestActions = {
    addFiles: async (files) => {
      calls.push(`images:${files.map((f) => `${f.label ?? '-'}/${f.file.name}`).join(',')}`);
      return files.length;
    },
    addTexts: async (input, mode, source) => {
      calls.push(`texts:${mode}:${source}:${JSON.stringify(input)}`);
      return 1;
    },
    importEmbeddings: async (file, labels) => {
      calls.push(`import:${file.name}:${labels?.name ?? '-'}`);
      return 1;
    },
    notify: (kind, text) => notices.push(`${kind}: ${text}`),
  };
  return { calls, notices, actions };
}

const f = (name: string, body = 'x', type = '') => new File([body], name, { type });

describe('ingestFiles', () => {
  it('sends each kind of file where it belongs', async () => {
    const { calls, notices, actions } = recorder();
    await ingestFiles(
      [
        { file: f('cat.jpg', 'x', 'image/jpeg'), label: 'cats' },
        { file: f('coco.npy') },
        { file: f('coco.labels.txt') },
        { file: f('phrases.txt', 'a cat\na dog') },
      ],
      actions,
    );
    expect(calls).toEqual([
      'import:coco.npy:coco.labels.txt',
      'images:cats/cat.jpg',
      'texts:lines:phrases.txt:"a cat\\na dog"',
    ]);
    expect(notices).toEqual([]);
  });

  it('names loose files it cannot use, and quietly counts non-images inside folders', async () => {
    const { calls, notices, actions } = recorder();
    await ingestFiles(
      [
        { file: f('paper.pdf') },
        { file: f('a.jpg', 'x', 'image/jpeg'), label: 'trip' },
        { file: f('notes.txt'), label: 'trip' },
        { file: f('raw.xmp'), label: 'trip' },
      ],
      actions,
    );
    expect(calls).toEqual(['images:trip/a.jpg']);
    expect(notices).toEqual([
      'error: Cannot use paper.pdf: not an image, a text file or an embeddings file (.npy, .csv, .tsv, .json).',
      'info: Passed over 2 files in the folders that are not an image.',
    ]);
  });
});

describe('reportWalk', () => {
  it('names an unreadable entry and says when the walk was cut short', () => {
    const { notices, actions } = recorder();
    reportWalk(
      {
        files: [{ file: f('a.jpg') }],
        errors: [{ path: 'pics/b.jpg', message: 'permission denied' }],
        truncated: true,
      },
      actions.notify,
    );
    expect(notices).toEqual([
      'error: Could not read pics/b.jpg: permission denied',
      'info: Only the first 1 files were taken; the rest were left out.',
    ]);
  });
});
