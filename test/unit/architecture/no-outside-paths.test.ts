// The project carries everything it refers to: no doc, comment or data file points outside the
// repository (a user's clone has nothing beside it), and no comment cites an issue number.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const tracked = execFileSync('git', ['ls-files'], { encoding: 'utf8' })
  .split('\n')
  .filter((f) => /\.(md|ts|json|css|html|tsv|csv)$/.test(f) && !f.startsWith('bench/results/') && f !== 'package-lock.json');

/** The text a reader sees: whole documents, and the comments of code (import paths are code). */
function prose(file: string, text: string): string {
  if (!file.endsWith('.ts')) return text;
  return text
    .split('\n')
    .map((l) => /\/\/(.*)$/.exec(l)?.[1] ?? /^\s*\*(.*)$/.exec(l)?.[1] ?? '')
    .join('\n');
}

describe('references stay inside the repository', () => {
  it('no document, comment or data file names a path beside the repository', () => {
    const outside = tracked.flatMap((f) => {
      const text = prose(f, readFileSync(f, 'utf8'));
      return [...text.matchAll(/(?:^|[\s`'"(])\.\.\/(?:shared\/(?:[A-Z]|data\/|policy\/|hooks\/)|\.\.\/)[^\s`'")]*/g)].map((m) => `${f}: ${m[0].trim()}`);
    });
    expect(tracked.length).toBeGreaterThan(100);
    expect(outside).toEqual([]);
  });

  it('no comment cites an issue number (say why, not which ticket)', () => {
    const cited = tracked.filter((f) => f.endsWith('.ts')).flatMap((f) => [...prose(f, readFileSync(f, 'utf8')).matchAll(/\bissues? #?\d+\b/gi)].map((m) => `${f}: ${m[0]}`));
    expect(cited).toEqual([]);
  });

  it('the check sees a path beside the repository in a comment, and not in an import', () => {
    // Built in pieces, so that this file does not hold the very text it looks for.
    const beside = ['..', 'shared', 'ARCHITECTURE.md'].join('/');
    const ts = `import { x } from '../shared/data/y.js';\n/${'/'} see ${beside}\n`;
    expect(prose('a.ts', ts)).toContain(beside);
    expect(prose('a.ts', ts)).not.toContain('data/y.js');
  });
});
