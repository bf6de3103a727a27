// The order test files start in. Vitest's own sequencer runs the projects one after another (e2e,
// infra, integration, unit), so for the first minute and a half only browser tests run, which wait
// on Chromium and the stream much of the time, and the synthesis of the CDK profiles, which only
// computes, runs after them. Taking the projects in turn (each keeping vitest's order within it:
// failed, then slowest, by the run's cache) lets the computing files fill the waiting ones' gaps.
import { BaseSequencer, type TestSpecification } from 'vitest/node';

export default class InterleavedSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const out: TestSpecification[] = [];
    // groupOrder still comes first (the timing project runs last, alone).
    const groups = new Map<number, Map<string, TestSpecification[]>>();
    for (const f of sorted) {
      const order = f.project.config.sequence.groupOrder ?? 0;
      const byProject = groups.get(order) ?? groups.set(order, new Map()).get(order)!;
      const list = byProject.get(f.project.name) ?? byProject.set(f.project.name, []).get(f.project.name)!;
      list.push(f);
    }
    for (const order of [...groups.keys()].sort((a, b) => a - b)) {
      const queues = [...groups.get(order)!.values()];
      while (queues.some((q) => q.length > 0)) for (const q of queues) if (q.length > 0) out.push(q.shift()!);
    }
    return out;
  }
}
