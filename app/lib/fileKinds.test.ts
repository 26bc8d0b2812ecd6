import { describe, expect, it } from 'vitest';
import { classifyFile, extensionOf, routeFiles, stemOf } from './fileKinds.ts';

const file = (name: string, type = '') => new File(['x'], name, { type });

describe('classifyFile', () => {
  it('recognises images by MIME type or by extension when the type is empty', () => {
    expect(classifyFile('photo', 'image/png')).toBe('image');
    expect(classifyFile('IMG_001.JPG', '')).toBe('image');
    expect(classifyFile('scan.heic', '')).toBe('image');
  });

  it('recognises embedding files and text files', () => {
    expect(classifyFile('emb.npy', 'application/octet-stream')).toBe('embeddings');
    expect(classifyFile('emb.csv', 'text/csv')).toBe('embeddings');
    expect(classifyFile('emb.json', 'application/json')).toBe('embeddings');
    expect(classifyFile('notes.txt', '')).toBe('text');
  });

  it('calls anything else other', () => {
    expect(classifyFile('paper.pdf', 'application/pdf')).toBe('other');
    expect(classifyFile('Makefile', '')).toBe('other');
  });
});

describe('extensionOf and stemOf', () => {
  it('split the last extension off, ignoring leading dots', () => {
    expect(extensionOf('a.b.PNG')).toBe('png');
    expect(extensionOf('.hidden')).toBe('');
    expect(extensionOf('trailing.')).toBe('');
    expect(stemOf('coco-80.labels.txt')).toBe('coco-80.labels');
    expect(stemOf('.hidden')).toBe('.hidden');
  });
});

describe('routeFiles', () => {
  it('pairs each embeddings file with the text file named after it', () => {
    const npy = file('coco-80.npy');
    const labels = file('coco-80.labels.txt');
    const csv = file('mine.csv');
    const csvLabels = file('mine.txt');
    const notes = file('phrases.txt');
    const routed = routeFiles([npy, labels, csv, csvLabels, notes].map((f) => ({ file: f })));
    expect(routed.embeddings).toEqual([
      { file: npy, labels },
      { file: csv, labels: csvLabels },
    ]);
    expect(routed.texts).toEqual([notes]);
  });

  it('gives a labels file to the longest matching stem', () => {
    const a = file('a.npy');
    const ab = file('a.b.npy');
    const abLabels = file('a.b.labels.txt');
    const routed = routeFiles([a, ab, abLabels].map((f) => ({ file: f })));
    expect(routed.embeddings).toEqual([{ file: a }, { file: ab, labels: abLabels }]);
  });

  it('pairs a lone embeddings file with a lone text file whatever their names', () => {
    const npy = file('vectors.npy');
    const names = file('names.txt');
    expect(routeFiles([{ file: npy }, { file: names }]).embeddings).toEqual([
      { file: npy, labels: names },
    ]);
    // Two text files: which one is the labels is unclear, so both stay text.
    const routed = routeFiles([npy, names, file('more.txt')].map((f) => ({ file: f })));
    expect(routed.embeddings).toEqual([{ file: npy }]);
    expect(routed.texts).toHaveLength(2);
  });

  it('keeps folder labels on images and sets aside what it cannot use', () => {
    const cat = file('cat.jpg', 'image/jpeg');
    const pdf = file('paper.pdf', 'application/pdf');
    const routed = routeFiles([
      { file: cat, label: 'cats' },
      { file: pdf, label: 'docs' },
    ]);
    expect(routed.images).toEqual([{ file: cat, label: 'cats' }]);
    expect(routed.other).toEqual([pdf]);
  });
});
