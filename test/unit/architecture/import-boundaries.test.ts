// The layering, checked on every import: the domain is pure (no adapter, configuration, HTTP, use
// case, AWS SDK or I/O), and use cases reach the world only through their ports (no adapter,
// configuration, HTTP layer or AWS SDK). A new import that crosses a boundary fails here.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');

interface Layer {
  dir: string;
  /** Folders under shared/ it may import from. */
  mayImport: readonly string[];
  /** Packages it may import. */
  packages: readonly string[];
}

const LAYERS: Record<string, Layer> = {
  domain: { dir: 'shared/domain', mayImport: ['shared/domain'], packages: ['zod', 'zod/mini', 'zod/v4/core', 'zod/v4/locales/en.js', 'opencc-js/dict/*'] },
  // node:crypto computes (ids, hashes), it does no I/O; aws-lambda is types only (the stream record the redrive replays).
  usecases: { dir: 'shared/usecases', mayImport: ['shared/domain', 'shared/usecases'], packages: ['zod', 'zod/mini', 'node:crypto', 'aws-lambda'] },
};

const SUBPATH_IMPORTS = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { imports?: Record<string, string> }).imports ?? {};

function filesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** Every module a source text imports or re-exports, statically or dynamically (type-only ones too: they are coupling). */
export function importsOf(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/g)) out.push(m[1]!);
  for (const m of text.matchAll(/(?:^|\n)\s*import\s+'([^']+)'/g)) out.push(m[1]!);
  for (const m of text.matchAll(/import\(\s*'([^']+)'\s*\)/g)) out.push(m[1]!);
  return out;
}

/** The imports of one file that break its layer's rule. */
export function violations(file: string, text: string, layer: Layer): string[] {
  const bad: string[] = [];
  for (const spec of importsOf(text)) {
    // A subpath import (#name, package.json "imports") is the repository file it maps to.
    const mapped = spec.startsWith('#') ? SUBPATH_IMPORTS[spec] : undefined;
    if (spec.startsWith('.') || mapped) {
      const target = mapped ? relative(ROOT, resolve(ROOT, mapped)).replace(/\.ts$/, '.js') : relative(ROOT, resolve(ROOT, dirname(file), spec));
      if (!layer.mayImport.some((d) => target === d || target.startsWith(`${d}/`))) bad.push(`${file} → ${target}`);
    } else if (!layer.packages.some((p) => (p.endsWith('/*') ? spec.startsWith(p.slice(0, -1)) : p === spec))) {
      bad.push(`${file} → package ${spec}`);
    }
  }
  return bad;
}

describe('import boundaries', () => {
  for (const [name, layer] of Object.entries(LAYERS)) {
    it(`${name} imports only ${layer.mayImport.join(', ')} and ${layer.packages.join(', ')}`, () => {
      const files = filesUnder(layer.dir);
      expect(files.length).toBeGreaterThan(10);
      expect(files.flatMap((f) => violations(f, readFileSync(join(ROOT, f), 'utf8'), layer))).toEqual([]);
    });
  }

  it('catches each kind of crossing (the checker itself)', () => {
    const file = 'shared/domain/case/example.ts';
    const text = [
      "import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';",
      "import type { ReferralStore } from '../../usecases/referrals/ports.js';",
      "export { logger } from '../../adapters/logger.js';",
      "const c = await import('../../config/data-files.js');",
      "import { readFileSync } from 'node:fs';",
      "import { NEEDS } from '../model.js';",
      "import { z } from 'zod';",
    ].join('\n');
    expect(violations(file, text, LAYERS.domain!)).toEqual([
      `${file} → package @aws-sdk/lib-dynamodb`,
      `${file} → shared/usecases/referrals/ports.js`,
      `${file} → shared/adapters/logger.js`,
      `${file} → package node:fs`,
      `${file} → shared/config/data-files.js`,
    ]);
  });
});
