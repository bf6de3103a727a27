/** CloudWatch namespace of the platform's own metrics (the functions emit, the dashboard and alarms read). */
export const METRICS_NAMESPACE = 'Referrals';
