import { describe, expect, it } from 'vitest';
import { capLength, cleanText, hasUnsafeText, plainTextProblem, quoteForMessage } from './text.ts';
import { readEmbeddings, readLabels } from './embeddings.ts';
import { decodeMapFile, encodeMapFile } from './mapFile.ts';

describe('cleanText', () => {
  it('turns white-space controls into spaces and removes the other controls', () => {
    expect(cleanText('a\tb\r\nc\u0000d\u007fe\u0085f')).toBe('a b cde f');
  });

  it('removes bidirectional overrides and isolates, so a name reads as it is', () => {
    expect(cleanText('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    expect(cleanText('\u2066x\u2069\u200f')).toBe('x');
  });

  it('mends broken UTF-16 and keeps whole surrogate pairs', () => {
    expect(cleanText('a\ud800b')).toBe('a\ufffdb');
    expect(cleanText('🙂')).toBe('🙂');
  });

  it('caps the length with an ellipsis, never splitting a surrogate pair', () => {
    expect(cleanText('x'.repeat(10_000_000)).length).toBe(1000);
    const capped = capLength('a' + '🙂'.repeat(10), 4);
    expect(capped).toBe('a🙂…');
    expect(plainTextProblem(capped)).toBeNull();
  });

  it('leaves clean text as it was (leading spaces included)', () => {
    expect(cleanText('  Paris, France')).toBe('  Paris, France');
    expect(hasUnsafeText('Paris')).toBe(false);
  });

  it('quotes hostile text for a message on one short line', () => {
    expect(quoteForMessage('evil\n\u202Ename'.repeat(100), 20)).toMatch(/^evil name[^\n]{0,11}…$/);
  });
});

describe('imported labels are cleaned once, for the page and the command line', () => {
  it('labels files lose control characters and bidirectional overrides', () => {
    expect(readLabels('cat\u0000\nd\u202Eog\n')).toEqual(['cat', 'dog']);
  });

  it('labels read with the embeddings (CSV and JSON) are cleaned too', () => {
    const csv = new TextEncoder().encode('label,a,b\n"x\ty\u0001",1,2\n');
    expect(readEmbeddings(csv, 'e.csv').labels).toEqual(['x y']);
    const json = new TextEncoder().encode(
      JSON.stringify([{ label: 'a\u202Eb', embedding: [1, 2] }]),
    );
    expect(readEmbeddings(json, 'e.json').labels).toEqual(['ab']);
  });

  it('a cleaned 10 MB label fits a map file', () => {
    const [label] = readLabels(`${'é\u0000'.repeat(5_000_000)}\n`);
    const map = {
      name: 'm',
      createdAt: '2026-01-01T00:00:00.000Z',
      model: null,
      som: {
        grid: { rows: 1, cols: 2, topology: 'rect' as const },
        dim: 2,
        codebook: new Float32Array([1, 0, 0, 1]),
      },
      training: {
        grid: { rows: 1, cols: 2, topology: 'rect' as const },
        epochs: 1,
        seed: 1,
        init: 'random' as const,
        radiusStart: 1,
        radiusEnd: 1,
        inputs: 1,
      },
      quality: { quantizationError: 0, topographicError: 0 },
      calibration: null,
      items: { labels: [label], k: 1, sdrs: new Uint32Array([0]) },
    };
    expect(decodeMapFile(encodeMapFile(map)).items?.labels[0]).toBe(label);
  });
});
