// One structured logger per process. Log only identifiers and codes: never names, phones,
// addresses or narrative (see the privacy rules in docs/privacy.md).
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'referrals',
  logLevel: (process.env.LOG_LEVEL as 'INFO' | undefined) ?? 'INFO',
});

/** An error's name and stack frames without its message, which could quote data. */
export function safeError(err: unknown): { name: string; frames?: string } {
  if (!(err instanceof Error)) return { name: typeof err };
  const frames = err.stack?.split('\n').slice(1, 8).join('\n');
  return { name: err.name, frames };
}
