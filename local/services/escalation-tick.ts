// `npm start`: runs the escalation function every minute (EventBridge Scheduler does it every
// 5 minutes in AWS), invoking the same handler. A tick that is still running when the next one is
// due is not overlapped.
import type { LocalService } from '../runtime.js';

export interface EscalationTickOptions {
  intervalMs?: number;
  log?: (line: string) => void;
}

export function escalationTick(options: EscalationTickOptions = {}): LocalService {
  const intervalMs = options.intervalMs ?? Number(process.env.ESCALATION_INTERVAL_MS ?? 60_000);
  const log = options.log ?? ((line: string) => console.log(line));
  return {
    name: 'escalation-tick',
    async start() {
      const { handler } = await import('../../functions/escalation/handler.js');
      let running: Promise<void> | undefined;
      const tick = () => {
        if (running) return;
        running = handler()
          .then((s) => {
            if (s.due > 0) log(`[escalation] ${s.now}: ${s.due} due, ${s.escalated} escalated, ${s.autoClosed} auto-closed, ${s.failed} failed`);
          })
          .catch((err: unknown) => log(`[escalation] run failed: ${(err as Error).name}`))
          .finally(() => {
            running = undefined;
          });
      };
      const timer = setInterval(tick, intervalMs);
      return {
        async stop() {
          clearInterval(timer);
          await running;
        },
      };
    },
  };
}
