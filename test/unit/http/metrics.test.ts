// The operational counts (shared/adapters/metrics.ts): embedded-metric-format lines in the
// platform's namespace, with the code dimensions given and nothing else; silent when disabled.
import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.restoreAllMocks();
  vi.resetModules();
  delete process.env.POWERTOOLS_METRICS_DISABLED;
});

async function emitted(disabled: 'true' | 'false', emit: (m: typeof import('../../../shared/adapters/metrics.js')) => void): Promise<Record<string, any>[]> {
  process.env.POWERTOOLS_METRICS_DISABLED = disabled;
  const lines: string[] = [];
  const capture = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
  vi.spyOn(console, 'log').mockImplementation(capture);
  vi.spyOn(console, 'info').mockImplementation(capture);
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: any) => (lines.push(String(chunk)), true));
  const m = await import('../../../shared/adapters/metrics.js');
  emit(m);
  return lines
    .flatMap((l) => l.split('\n'))
    .filter((l) => l.includes('_aws'))
    .map((l) => JSON.parse(l));
}

describe('metrics', () => {
  it('writes one EMF line per count, in the Referrals namespace, with exactly the code dimensions given (and the service)', async () => {
    const out = await emitted('false', (m) => {
      m.count('IntakeReceived', { channel: '12338', urgency: 'emergency' });
      m.count('SmsRejected', {}, 3);
      m.milliseconds('NotifierLag', {}, 12.4);
    });
    expect(out).toHaveLength(3);
    const [intake, rejected, lag] = out;
    expect(intake!._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'Referrals', Metrics: [{ Name: 'IntakeReceived', Unit: 'Count' }] });
    expect(new Set(intake!._aws.CloudWatchMetrics[0].Dimensions[0])).toEqual(new Set(['service', 'channel', 'urgency']));
    expect(intake).toMatchObject({ channel: '12338', urgency: 'emergency', IntakeReceived: 1 });
    expect(rejected).toMatchObject({ SmsRejected: 3 });
    expect(rejected!._aws.CloudWatchMetrics[0].Dimensions[0]).toEqual(['service']);
    expect(lag).toMatchObject({ NotifierLag: 12 });
  });

  it('a zero count and a disabled process write nothing', async () => {
    expect(await emitted('false', (m) => m.count('SmsRejected', {}, 0))).toEqual([]);
    expect(await emitted('true', (m) => m.count('IntakeReceived', { channel: 'web', urgency: 'routine' }))).toEqual([]);
  });
});
