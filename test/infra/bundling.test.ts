// The data files travel with every bundle, copied by node (no cp/rm: administrators on Windows
// deploy too), without the files only the local runtime uses.
import { execSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyDataCommand, LOCAL_ONLY_DATA_FILES } from '../../infra/constructs/platform-function.js';
import { REPOSITORY_ROOT } from '../../infra/platform.js';

describe('the afterBundling hook', () => {
  it('copies data/ next to the bundle with node only, leaving out the local-only files', () => {
    const out = mkdtempSync(join(tmpdir(), 'bundle-'));
    try {
      const command = copyDataCommand(REPOSITORY_ROOT, out);
      expect(command.startsWith('node -e ')).toBe(true);
      expect(command).not.toMatch(/\bcp\b|\brm -/);
      execSync(command, { stdio: 'pipe' });
      const copied = readdirSync(join(out, 'data'));
      const source = readdirSync(join(REPOSITORY_ROOT, 'data')).filter((f) => !(LOCAL_ONLY_DATA_FILES as readonly string[]).includes(f));
      expect(copied.sort()).toEqual(source.sort());
      for (const f of LOCAL_ONLY_DATA_FILES) expect(existsSync(join(out, 'data', f))).toBe(false);
      expect(existsSync(join(out, 'data', 'holidays'))).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
