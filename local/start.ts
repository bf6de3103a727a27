// `npm start`: the platform on localhost with its embedded DynamoDB Local. Ctrl-C stops everything.
// Lambda runs Node 24; on a Node 20 workstation the SDK's end-of-support notice is only noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { readFileSync } from 'node:fs';
import { DEFAULT_API_PORT, DEV_HOTLINE_KEYS } from './dev-config.js';
import { JavaMissingError } from './dynamodb-local.js';
import { startLocalRuntime, type LocalRuntime, type LocalService } from './runtime.js';
import { createWebFallback } from './web-server.js';
import { escalationTick } from './services/escalation-tick.js';
import { streamNotifier } from './services/stream-notifier.js';
import { streamStatistics } from './services/stream-statistics.js';

/** What runs beside the API: each feature adds its local service here. */
const services: LocalService[] = [escalationTick(), streamNotifier(), streamStatistics()];

const port = Number(process.env.PORT ?? DEFAULT_API_PORT);

async function main(): Promise<void> {
  let runtime: LocalRuntime;
  try {
    // The web pages and the local-only development sign-in share the API's origin.
    const fallback = await createWebFallback({ devSignIn: true });
    runtime = await startLocalRuntime({ port, services, api: { host: process.env.HOST ?? '127.0.0.1', fallback, onError: (err) => console.error('[local] handler crashed:', (err as Error).name) } });
  } catch (err) {
    if (err instanceof JavaMissingError) {
      console.error(err.message);
      process.exit(1);
    }
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      console.error(`Port ${port} is in use. Stop what is using it, or run: PORT=3001 npm start`);
      process.exit(1);
    }
    throw err;
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the API and DynamoDB Local…`);
    await runtime.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // `npm start` runs this under a shell that does not pass on a signal sent to npm alone: when the
  // process that started us goes away, stop too, rather than leave the server and Java running.
  const parent = process.ppid;
  setInterval(() => {
    if (!parentAlive(parent)) void stop('the npm process stopped');
  }, 500).unref();
  console.log(`Platform running locally:
  API            http://localhost:${port}   (POST /intake/12338, /intake/12348, /intake/web; GET /cases/{caseId})
  Web pages      http://localhost:${port}/   (intake form)   http://localhost:${port}/console   (caseworker console, development sign-in)
  DynamoDB Local ${runtime.dynamoEndpoint}   table "${runtime.tableName}" (in memory: data is gone when you stop)
  Dev key ids    ${Object.keys(DEV_HOTLINE_KEYS).join(', ')}  (development secrets, see docs/api.md)
Try: npm run send -- 12338 examples/12338-emergency.json
Ctrl-C to stop.`);
}

main().catch((err) => {
  console.error('npm start failed:', err);
  process.exit(1);
});

/**
 * Whether the process that started this one is still its parent. Linux: the live parent id from
 * /proc (process.ppid is read once at start, and a dead parent can linger as a zombie that signal 0
 * still finds); elsewhere: signal 0 to the original parent.
 */
function parentAlive(parent: number): boolean {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent;
  } catch {
    try {
      process.kill(parent, 0);
      return true;
    } catch {
      return false;
    }
  }
}
