// The built-in concept vocabulary (public/vocab/concepts.txt) is data the atlas embeds line by
// line; these checks keep it clean enough to prompt CLIP with and to use as unit labels.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const vocabDir = fileURLToPath(new URL('../public/vocab/', import.meta.url));
const text = readFileSync(`${vocabDir}concepts.txt`, 'utf8');
const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');

describe('public/vocab/concepts.txt', () => {
  it('has 900 to 1,200 concepts and ends with one newline', () => {
    expect(lines.length).toBeGreaterThanOrEqual(900);
    expect(lines.length).toBeLessThanOrEqual(1200);
    expect(text.endsWith('\n') && !text.endsWith('\n\n')).toBe(true);
    expect(text.includes('\r')).toBe(false);
  });

  it('has no empty lines and no duplicates', () => {
    expect(lines.filter((l) => l.trim() === '').map((_, i) => i)).toEqual([]);
    const seen = new Map<string, number>();
    const dups: string[] = [];
    lines.forEach((l, i) => {
      if (seen.has(l)) dups.push(`"${l}" on lines ${seen.get(l)! + 1} and ${i + 1}`);
      else seen.set(l, i);
    });
    expect(dups).toEqual([]);
  });

  it('is lower case ASCII letters, single spaces, hyphens and apostrophes, at most 40 chars', () => {
    const bad = lines
      .map((l, i) => ({ l, line: i + 1 }))
      .filter(({ l }) => !/^[a-z](?:[a-z'-]|(?<! ) )*[a-z]$/.test(l) || l.length > 40);
    expect(bad).toEqual([]);
  });

  it('matches the category table in its README (contiguous ranges covering every line)', () => {
    const readme = readFileSync(`${vocabDir}README.md`, 'utf8');
    const rows = [...readme.matchAll(/^\| (\d+)–(\d+) \| [^|]+ \| (\d+) \|$/gm)];
    expect(rows.length).toBeGreaterThanOrEqual(20);
    let next = 1;
    for (const [row, from, to, count] of rows) {
      expect(Number(from), row).toBe(next);
      expect(Number(to) - Number(from) + 1, row).toBe(Number(count));
      next = Number(to) + 1;
    }
    expect(next - 1).toBe(lines.length);
  });
});
