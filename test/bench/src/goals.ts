import { NODE_SERVICES, ratios, type BenchResults } from './results';

/** The goals of issue 6, each with how to read it from a run. */
export const GOALS = [
  { id: 'e2e', text: '≥ 100,000 tasks/s', atLeast: 100_000, measure: (r: BenchResults) => r.throughput?.endToEndPerSecond },
  { id: 'lost', text: '0 lost', atMost: 0, measure: (r: BenchResults) => r.throughput?.lost },
  { id: 'bullmq', text: '≥ 6× BullMQ', atLeast: 6, measure: (r: BenchResults) => ratios(r).overBullmq },
  { id: 'ceiling', text: '≥ 0.3× broker ceiling', atLeast: 0.3, measure: (r: BenchResults) => ratios(r).overCeiling },
  { id: 'ingest', text: '≥ 25,000 req/s', atLeast: 25_000, measure: (r: BenchResults) => r.singleIngest?.closedLoop.requestsPerSecond },
  { id: 'ingestP99', text: 'p99 ≤ 5 ms', atMost: 5, measure: (r: BenchResults) => r.latencyAtHalf?.ingest.latencyMs.p99 },
  { id: 'e2eP99', text: 'p99 ≤ 50 ms', atMost: 50, measure: (r: BenchResults) => r.latencyAtHalf?.endToEndMs.p99 },
  {
    id: 'rss',
    text: '≤ 150 MiB each',
    atMost: 150,
    measure: (r: BenchResults) => (r.memory ? Math.max(...NODE_SERVICES.map((s) => r.memory?.[s]?.peakMiB ?? NaN)) : undefined),
  },
  { id: 'tracing', text: '1% costs ≤ 5%', atMost: 0.05, measure: (r: BenchResults) => r.tracing?.costAt1Percent },
] as const;

export type GoalId = (typeof GOALS)[number]['id'];

export interface GoalCheck {
  id: GoalId;
  text: string;
  measured: number | undefined;
  /** undefined: not measured in this run. */
  met: boolean | undefined;
}

const goalOf = (id: GoalId) => GOALS.find((g) => g.id === id)!;

export const goalText = (id: GoalId): string => goalOf(id).text;

/** Whether a measured value meets a goal; undefined when nothing was measured. */
export function meets(id: GoalId, measured: number | undefined): boolean | undefined {
  if (measured === undefined || !Number.isFinite(measured)) return undefined;
  const goal = goalOf(id);
  return 'atLeast' in goal ? measured >= goal.atLeast : measured <= goal.atMost;
}

export function checkGoals(r: BenchResults): GoalCheck[] {
  return GOALS.map((goal) => {
    const measured = goal.measure(r);
    const met = meets(goal.id, measured);
    return { id: goal.id, text: goal.text, measured: met === undefined ? undefined : measured, met };
  });
}
