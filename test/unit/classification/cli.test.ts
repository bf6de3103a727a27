// The two CLIs as an administrator runs them: real processes, stdin/stdout, exit codes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const run = (script: string, args: string[], input = '') => spawnSync(tsx, [script, ...args], { input, encoding: 'utf8', timeout: 60_000 });

describe('npm run classify', () => {
  it('writes one line per non-blank input line, in order, and keeps going after a bad line', () => {
    const input = [
      '{"id":"a","channel":"web","text":"他拿刀说要砍死我，我住敦化"}',
      '',
      'not json',
      '{"id":3,"channel":"fax","text":"x"}',
      '{"channel":"12348","text":"咨询人询问相关问题","divisionCode":"220122","categoryHint":"婚姻家庭"}',
    ].join('\n');
    const r = run('cli/classify.ts', [], input);
    expect(r.status).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatchObject({ id: 'a', needs: ['safety_protection'], urgency: 'emergency', divisionCode: '222403' });
    expect(lines[0].explanation.needs.safety_protection.length).toBeGreaterThan(0);
    expect(lines[1]).toEqual({ id: null, error: 'line 3: not valid JSON' });
    expect(lines[2]).toMatchObject({ id: 3 });
    expect(lines[2].error).toMatch(/line 4: channel/);
    expect(lines[3]).toMatchObject({ id: null, needs: ['legal_aid'], urgency: 'routine', divisionCode: '220122' });
  });
});

describe('npm run classify:eval', () => {
  it('prints the figures and the misses', () => {
    const dir = mkdtempSync(join(tmpdir(), 'classify-eval-'));
    const file = join(dir, 'labelled.jsonl');
    writeFileSync(
      file,
      [
        '{"id":"ok","channel":"web","text":"想学电商","needs":["employment_training"],"urgency":"routine","divisionCode":null}',
        '{"id":"miss","channel":"web","text":"想学电商","needs":["legal_aid"],"urgency":"routine","divisionCode":null}',
        '{"broken":',
      ].join('\n'),
    );
    const r = run('cli/classify-eval.ts', [file]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Macro-F1 (needs):');
    expect(r.stdout).toContain('Emergency recall:');
    expect(r.stdout).toContain('--- miss (wrong needs)');
    expect(r.stdout).toContain('why employment_training: employment.ecommerce: 电商');
    expect(r.stdout).toContain('Skipped 1 malformed line(s)');
  });

  it('exits 2 with a clear message when the file cannot be read', () => {
    const r = run('cli/classify-eval.ts', ['/nonexistent/labelled.jsonl']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/cannot read \/nonexistent\/labelled\.jsonl: ENOENT/);
  });

  it('exits 2 with usage when no file is given', () => {
    const r = run('cli/classify-eval.ts', []);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/usage/);
  });
});
