// Operational metrics as CloudWatch embedded-metric-format lines (Powertools Metrics): the
// dashboard and the alarms read them. Dimensions are codes only (channel, urgency, kind, role):
// never anything that could identify a woman. On where POWERTOOLS_METRICS_DISABLED=false (every
// deployed function: infra/constructs/platform-function.ts); off under `npm start` and the tests,
// so that local output stays readable.
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE } from '../config/metrics.js';

process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

export const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'referrals' });
const disabled = () => process.env.POWERTOOLS_METRICS_DISABLED === 'true';

/** One count with its own dimensions (a single-metric line, so that dimensions never mix across counts). */
export function count(name: string, dimensions: Record<string, string>, value = 1): void {
  if (disabled() || value === 0) return;
  const single = metrics.singleMetric();
  for (const [k, v] of Object.entries(dimensions)) single.addDimension(k, v);
  single.addMetric(name, MetricUnit.Count, value);
}

/** A duration in milliseconds, same rules. */
export function milliseconds(name: string, dimensions: Record<string, string>, value: number): void {
  if (disabled()) return;
  const single = metrics.singleMetric();
  for (const [k, v] of Object.entries(dimensions)) single.addDimension(k, v);
  single.addMetric(name, MetricUnit.Milliseconds, Math.max(0, Math.round(value)));
}
