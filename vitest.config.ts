import { defineConfig } from 'vitest/config';
import InterleavedSequencer from './test/setup/interleaved-sequencer.js';

// One project per kind of test; `npm test` runs them all, `npm run test:<project>` one of them.
// Every project shares the run's one DynamoDB Local (test/setup/dynamodb-local.ts); each test file
// uses its own table.
const project = (name: string) => ({ extends: true as const, test: { name, include: [`test/${name}/**/*.test.ts`] } });
// Pure tests without mocks or environment changes share one module graph per worker (not reloaded
// for every file: the classifier, zod and the CDK library load once): about half the time of the
// unit project. The integration and e2e files set environment variables and mock SDK clients, so
// each keeps its own.
const shared = (name: string) => ({ ...project(name), test: { ...project(name).test, isolate: false } });
// Timing tests of the emergency path (a hotline emergency overtaking a flood within 10 s) measure
// this machine: they run last, alone, once everything else has finished (groupOrder), so that
// another file's browser or synthesis does not decide whether an emergency SMS is on time.
const TIMING = ['test/integration/web-flood.test.ts'];
const integration = { ...project('integration'), test: { ...project('integration').test, exclude: TIMING } };
const timing = { extends: true as const, test: { name: 'timing', include: TIMING, sequence: { groupOrder: 1 } } };

export default defineConfig({
  test: {
    globalSetup: ['test/setup/dynamodb-local.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores, but many tests wait (on the stream, a browser, a restart): three workers keep both busy.
    maxWorkers: 3,
    // Quiet tests: INFO logs off unless a file turns them on (the files that scan logs for personal data do).
    env: { LOG_LEVEL: 'WARN' },
    projects: [shared('unit'), integration, shared('infra'), project('e2e'), timing],
    // The projects' files in turn rather than one project after another (test/setup/interleaved-sequencer.ts).
    sequence: { sequencer: InterleavedSequencer },
  },
});
