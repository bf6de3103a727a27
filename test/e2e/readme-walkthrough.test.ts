// The README's walk-through, as a newcomer runs it: `npm start` on a free PORT, then every command of
// the walk-through's code blocks exactly as written (only the `<caseId>` placeholder filled in), in
// one shell per block so that a variable set on one line is there on the next; the statuses the
// README promises in its comments must be what the commands print. Then a SIGINT to the npm process
// (what Ctrl-C sends) must stop the server and its DynamoDB Local.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../local/dynamodb-local.js';

const README = readFileSync('README.md', 'utf8');

/** The commands of each code block between "## Walk-through" and the next heading, continuation lines joined. */
export function walkthroughBlocks(markdown: string): string[][] {
  const section = markdown.split(/^## Walk-through.*$/m)[1]!.split(/^#{2,3} /m)[0]!;
  return [...section.matchAll(/```\n([\s\S]*?)```/g)].map((m) =>
    m[1]!
      .replace(/\\\n\s*/g, ' ')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== ''),
  );
}

let port = 0;
let server: ChildProcess;
let output = '';

beforeAll(async () => {
  port = await freePort();
  // A fresh shell with the default SIGINT handling (a background job inherits "ignore").
  server = spawn('bash', ['-c', 'trap - INT; exec npm start'], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout!.on('data', (c) => (output += c));
  server.stderr!.on('data', (c) => (output += c));
  const until = Date.now() + 90_000;
  while (!output.includes('Ctrl-C to stop.')) {
    if (Date.now() > until || server.exitCode !== null) throw new Error(`npm start did not come up:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}, 120_000);

afterAll(() => {
  if (server && server.exitCode === null) server.kill('SIGKILL');
});

function run(script: string): string {
  const out = spawnSync('bash', ['-c', script], { env: { ...process.env, PORT: String(port) }, encoding: 'utf8', timeout: 60_000 });
  return `${out.stdout}${out.stderr}`;
}

describe("the README's walk-through on PORT=<free> npm start", () => {
  it('prints the URLs of the port it was given', () => {
    expect(output).toContain(`http://localhost:${port}`);
  });

  it('runs every command as written, with the statuses its comments promise', () => {
    const blocks = walkthroughBlocks(README);
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    const caseIds: string[] = [];
    for (const block of blocks) {
      const script = block.map((cmd, i) => `echo "@@${i}"; ${cmd.replace(/<caseId>/g, caseIds[0] ?? '<caseId>')}`).join('\n');
      const parts = run(script)
        .split(/@@\d+\n/)
        .slice(1);
      expect(parts).toHaveLength(block.length);
      block.forEach((cmd, i) => {
        const out = parts[i]!;
        const promised = /#\s*HTTP (\d{3})/.exec(cmd)?.[1];
        if (cmd.includes('npm run send')) {
          const status = /^HTTP (\d{3})/m.exec(out)?.[1];
          expect(status, `${cmd}\n${out}`).toBe(promised ?? status);
          expect(Number(status), cmd).toBeLessThan(300);
        }
        if (cmd.startsWith('curl')) {
          const body = JSON.parse(out) as { caseId?: string; case?: { caseId: string }; error?: unknown };
          expect(body.error, `${cmd}\n${out}`).toBeUndefined();
        }
        for (const m of out.matchAll(/"caseId": ?"([0-9A-Z]{26})"/g)) caseIds.push(m[1]!);
      });
    }
    // The last block read a case back by its id.
    expect(caseIds.length).toBeGreaterThan(0);
  }, 120_000);

  it('stops the server and its DynamoDB Local on a SIGINT to the npm process (Ctrl-C)', async () => {
    const exited = new Promise<number | null>((r) => server.once('exit', (code) => r(code)));
    const java = () => spawnSync('bash', ['-c', `ps -eo ppid,args | grep -c "[D]ynamoDBLocal.jar.*-port" || true`], { encoding: 'utf8' }).stdout.trim();
    const before = Number(java());
    server.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain('SIGINT: stopping the API and DynamoDB Local');
    const res = await fetch(`http://127.0.0.1:${port}/openapi.json`).catch(() => null);
    expect(res).toBeNull();
    // One DynamoDB Local fewer (the test run's own stays).
    expect(Number(java())).toBe(before - 1);
  }, 30_000);
});
