import { describe, expect, it } from 'vitest';
import { npyHeaderBytes } from '../../src/io/npy.ts';
import { importSizeProblem, MAX_PAGE_NUMBERS, peekNpyShape, rowsThatFit } from './importLimit.ts';

describe('import limit', () => {
  const fit = Math.floor(MAX_PAGE_NUMBERS / 512);

  it('takes what fits, counting the items already there', () => {
    expect(importSizeProblem('a.npy', fit, 512, 0)).toBeNull();
    expect(importSizeProblem('a.npy', fit - 1000, 512, 1000)).toBeNull();
    expect(rowsThatFit(512, 1000)).toBe(fit - 1000);
    expect(rowsThatFit(512, fit + 5)).toBe(0);
  });

  it('says in words how many rows fit and what to do instead', () => {
    const alone = importSizeProblem('big.npy', fit + 1, 512, 0)!;
    expect(alone).toContain(`big.npy has ${(fit + 1).toLocaleString('en-US')} rows of 512 numbers`);
    expect(alone).toContain(`about ${fit.toLocaleString('en-US')} rows of 512 in all`);
    expect(alone).toContain('Import fewer rows');
    expect(alone).toContain('sdr train big.npy --out map.sdrmap');
    expect(alone).toContain('Nothing was changed.');
    const withItems = importSizeProblem('big.npy', fit, 512, 20_000)!;
    expect(withItems).toContain(
      `With the 20,000 items already here, ${(fit - 20_000).toLocaleString('en-US')} more fit.`,
    );
  });

  it("reads a .npy file's shape from its header alone, and nothing from other files", async () => {
    const header = npyHeaderBytes([123_456, 768], 'f2');
    expect(await peekNpyShape(new Blob([header as BlobPart]))).toEqual({ rows: 123_456, dim: 768 });
    expect(await peekNpyShape(new Blob(['1,2,3\n4,5,6\n']))).toBeNull();
  });
});
