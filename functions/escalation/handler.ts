// The escalation run: EventBridge Scheduler invokes it every 5 minutes in AWS; `npm start` every
// minute (local/services/escalation-tick.ts). It escalates overdue referrals one level per level
// due, escalates unanswered danger reviews as overdue emergencies, auto-closes resolved referrals nobody followed up, warns of and purges
// open cases without activity (data/retention.json), and purges closed cases whose retention
// (CLOSED_CASE_RETENTION_DAYS) has ended (see shared/usecases/referrals/escalation.ts), and the
// personal data of women who left the county ledger once theirs has (shared/usecases/ledger-retention.ts).
// It logs identifiers and counts only.
import { logger, safeError } from '../../shared/adapters/logger.js';
import { count } from '../../shared/adapters/metrics.js';
import { referralDependencies } from '../../shared/config/referrals.js';
import { runEscalation, type EscalationReport } from '../../shared/usecases/referrals/escalation.js';
import { DynamoLedgerRetentionRepository } from '../../shared/adapters/dynamo/ledger-retention-repository.js';
import { documentClient } from '../../shared/adapters/dynamo/client.js';
import { requireEnv } from '../../shared/config/intake.js';
import { purgeExitedRecords } from '../../shared/usecases/ledger-retention.js';

export interface EscalationSummary {
  now: string;
  due: number;
  escalated: number;
  reviewsEscalated: number;
  autoClosed: number;
  purged: number;
  retentionWarned: number;
  retentionPurged: number;
  /** Exited ledger records whose personal data was deleted. */
  ledgerPurged: number;
  conflicts: number;
  failed: number;
}

export const summaryOf = (r: EscalationReport): EscalationSummary => ({
  now: r.now,
  due: r.due,
  escalated: r.escalated.length,
  reviewsEscalated: r.reviewsEscalated.length,
  autoClosed: r.autoClosed.length,
  purged: r.purged.length,
  retentionWarned: r.retention.warned.length,
  retentionPurged: r.retention.purged.length,
  ledgerPurged: 0,
  conflicts: r.conflicts,
  failed: r.failed.length,
});

export const handler = async (): Promise<EscalationSummary> => {
  const report = await runEscalation(referralDependencies(), {
    maxReferrals: Number(process.env.ESCALATION_MAX_REFERRALS ?? 500),
    onError: (id, err) => logger.error('escalation run failed for an entry', { id, error: safeError(err) }),
  });
  for (const e of report.escalated) logger.info('referral escalated', { referralId: e.referralId, level: e.level, kind: e.kind });
  for (const e of report.reviewsEscalated) logger.info('danger review unanswered: escalated', { caseId: e.caseId, level: e.level });
  for (const id of report.autoClosed) logger.info('referral auto-closed', { referralId: id });
  for (const p of report.purged) logger.info('closed case purged after retention', { caseId: p.caseId, items: p.items });
  for (const w of report.retention.warned) logger.info('open case without activity: supervisors warned', { caseId: w.caseId, purgeAt: w.purgeAt });
  for (const id of report.retention.purged) logger.info('open case without activity: personal data purged', { caseId: id });
  // The dashboard's overdue work and the retention's progress (codes only).
  for (const e of report.escalated) count('ReferralEscalated', { level: String(e.level), kind: e.kind });
  count('DangerReviewEscalated', {}, report.reviewsEscalated.length);
  count('RetentionWarned', {}, report.retention.warned.length);
  count('PersonalDataPurged', { caseState: 'open' }, report.retention.purged.length);
  count('PersonalDataPurged', { caseState: 'closed' }, report.purged.length);
  count('EscalationEntryFailed', {}, report.failed.length);
  let ledgerPurged: string[] = [];
  try {
    ledgerPurged = await purgeExitedRecords(new DynamoLedgerRetentionRepository(documentClient(), requireEnv('TABLE_NAME')), new Date(report.now));
  } catch (err) {
    // The next run takes it up again.
    logger.error('ledger retention run failed', { error: safeError(err) });
    count('EscalationEntryFailed', {}, 1);
  }
  for (const id of ledgerPurged) logger.info('exited ledger record purged after retention', { personId: id });
  count('PersonalDataPurged', { caseState: 'ledger_exited' }, ledgerPurged.length);
  const summary = { ...summaryOf(report), ledgerPurged: ledgerPurged.length };
  // A run with nothing due is the common case: keep it out of the INFO logs.
  if (summary.due > 0 || summary.ledgerPurged > 0) logger.info('escalation run', { ...summary });
  else logger.debug('escalation run', { ...summary });
  // A referral that failed is still due: the next run takes it up. Failing the invocation would
  // only make EventBridge retry the whole run, so the failures are reported in the logs instead.
  return summary;
};
