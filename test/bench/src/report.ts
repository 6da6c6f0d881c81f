import { fmt } from './context';
import type { BenchConfig } from './config';
import { goalText, meets, type GoalId } from './goals';
import { NODE_SERVICES, ratios, type BenchResults } from './results';

export interface Row {
  /** A section heading when `value` is undefined. */
  metric: string;
  value?: string;
  /** The goal this row is checked against, with the number it is checked on. */
  goal?: GoalId;
  measured?: number;
}

const ms = (...values: number[]) => values.map((v) => fmt(v, v < 10 ? 2 : v < 100 ? 1 : 0)).join(' / ');
const times = (n: number) => (Number.isFinite(n) ? `${fmt(n, 2)}×` : 'n/a');
const pct = (n: number) => `${fmt(n * 100, 1)} %`;
/** `ingest 25 · bridge 40 · …`: where the CPU of a run went, per task. */
const cpuText = (perTask: Record<string, number>) =>
  `${Object.entries(perTask).map(([name, us]) => `${name} ${fmt(us)}`).join(' · ')} · total ${fmt(Object.values(perTask).reduce((a, b) => a + b, 0))}`;

function throughputRows(r: BenchResults, c: BenchConfig): Row[] {
  const t = r.throughput;
  if (!t) return [];
  return [
    { metric: `HTTP batches: ${fmt(t.tasks)} no-op tasks, ${c.batchSize} per request, ${c.concurrency} in flight` },
    { metric: 'accepted / s', value: fmt(t.acceptedPerSecond) },
    { metric: 'end to end / s (first request → last task done)', value: fmt(t.endToEndPerSecond), goal: 'e2e', measured: t.endToEndPerSecond },
    { metric: 'wall time (s)', value: fmt(t.totalSeconds, 1) },
    { metric: 'batch request p50 / p99 (ms)', value: ms(t.batchLatencyMs.p50, t.batchLatencyMs.p99) },
    { metric: 'end to end p50 / p99 / p99.9 (ms)', value: ms(t.endToEndMs.p50, t.endToEndMs.p99, t.endToEndMs.p999) },
    { metric: 'lost (accepted, not succeeded)', value: fmt(t.lost), goal: 'lost', measured: t.lost },
    { metric: 'CPU per task (µs, from /proc)', value: cpuText(t.cpuMicrosPerTask) },
    { metric: 'batches retried after 429 (buffer full) / 503 (Redis slow)', value: `${fmt(t.retried429)} / ${fmt(t.retried503)}` },
  ];
}

function ingestRows(r: BenchResults): Row[] {
  const s = r.singleIngest;
  const h = r.latencyAtHalf;
  const rows: Row[] = [];
  if (s) {
    const { closedLoop: cl, openLoop: ol } = s;
    rows.push(
      { metric: 'Single-task ingest (POST /v1/tasks)' },
      { metric: `closed loop, ${cl.connections} in flight: requests / s`, value: fmt(cl.requestsPerSecond), goal: 'ingest', measured: cl.requestsPerSecond },
      { metric: 'closed loop p50 / p99 / p99.9 (ms)', value: ms(cl.latencyMs.p50, cl.latencyMs.p99, cl.latencyMs.p999) },
      { metric: `open loop at ${fmt(ol.targetPerSecond)} req/s: achieved`, value: fmt(ol.requestsPerSecond) },
      { metric: 'open loop p50 / p99 / p99.9 (ms, from scheduled time)', value: ms(ol.latencyMs.p50, ol.latencyMs.p99, ol.latencyMs.p999) },
      { metric: 'open loop errors / not sent (generator cap)', value: `${fmt(ol.errors)} / ${fmt(ol.dropped)}` },
    );
  }
  if (h) {
    rows.push(
      { metric: `At 50% load: ${fmt(h.targetTasksPerSecond)} tasks/s open loop, batches of ${h.batchSize}` },
      { metric: 'achieved tasks / s', value: fmt(h.achievedTasksPerSecond) },
      { metric: 'ingest p50 / p99 (ms per batch request)', value: ms(h.ingest.latencyMs.p50, h.ingest.latencyMs.p99), goal: 'ingestP99', measured: h.ingest.latencyMs.p99 },
      { metric: 'end to end p50 / p99 / p99.9 (ms)', value: ms(h.endToEndMs.p50, h.endToEndMs.p99, h.endToEndMs.p999), goal: 'e2eP99', measured: h.endToEndMs.p99 },
    );
  }
  return rows;
}

function kafkaAndMemoryRows(r: BenchResults): Row[] {
  const rows: Row[] = [];
  const k = r.kafkaDirect;
  if (k) {
    rows.push(
      { metric: `Third party → Kafka → consumer: ${fmt(k.records)} records` },
      { metric: 'produced / s (kafkajs, acks=all)', value: fmt(k.producedPerSecond) },
      { metric: 'consumer / s (on a backlog, first → last done)', value: fmt(k.consumedPerSecond) },
      { metric: 'consumer / s including start and group join', value: fmt(k.consumedWithStartPerSecond) },
    );
  }
  if (r.memory) {
    rows.push({ metric: 'Peak RSS (MiB, VmHWM)' });
    for (const [name, m] of Object.entries(r.memory)) {
      const node = (NODE_SERVICES as readonly string[]).includes(name);
      rows.push({ metric: name, value: m ? fmt(m.peakMiB) : 'n/a', ...(node ? { goal: 'rss' as const, measured: m?.peakMiB ?? NaN } : {}) });
    }
  }
  return rows;
}

function peerRows(r: BenchResults): Row[] {
  const rows: Row[] = [];
  const { overBullmq, overCeiling } = ratios(r);
  if (r.bullmq) {
    const b = r.bullmq;
    rows.push(
      { metric: `BullMQ: ${fmt(b.jobs)} no-op jobs, addBulk ${b.chunk}, worker concurrency ${b.concurrency}` },
      { metric: 'added / s', value: fmt(b.addedPerSecond) },
      { metric: 'end to end / s (first add → last completed)', value: fmt(b.endToEndPerSecond) },
      { metric: 'taskstream ÷ BullMQ (end to end)', value: times(overBullmq), goal: 'bullmq', measured: overBullmq },
    );
  }
  if (r.ceiling) {
    const c = r.ceiling;
    rows.push(
      { metric: `Kafka ceiling: ${fmt(c.records)} records of ${c.recordBytes} B, ${c.partitions} partitions` },
      { metric: 'ProducerPerformance records / s (acks=all)', value: fmt(c.producer.recordsPerSecond) },
      { metric: 'ConsumerPerformance records / s (fetch)', value: fmt(c.consumer.recordsPerSecond) },
      { metric: 'taskstream ÷ ceiling (min of the two)', value: times(overCeiling), goal: 'ceiling', measured: overCeiling },
    );
  }
  return rows;
}

function tracingRows(r: BenchResults): Row[] {
  const t = r.tracing;
  if (!t) return [];
  return [
    { metric: `Tracing: ${fmt(t.tasks)} tasks per run, in run order; end to end / s; ingest batch p99 / e2e p99 (ms, at saturation)` },
    ...t.runs.flatMap((run): Row[] => {
      const name = `sampling ${run.setting}${run.round > 1 ? ` (run ${run.round})` : ''}`;
      return [
        { metric: name, value: `${fmt(run.endToEndPerSecond)}; ${fmt(run.batchP99Ms)} / ${fmt(run.endToEndP99Ms)}` },
        { metric: `${name}: CPU per task (µs)`, value: cpuText(run.cpuMicrosPerTask) },
      ];
    }),
    { metric: t.rounds > 1 ? `cost of 1% sampling (means of ${t.rounds} runs each)` : 'cost of 1% sampling', value: pct(t.costAt1Percent), goal: 'tracing', measured: t.costAt1Percent },
    { metric: 'cost of 100% sampling', value: pct(t.costAt100Percent) },
    { metric: 'CPU cost of 1% sampling (per task, all processes)', value: pct(t.cpuCostAt1Percent) },
  ];
}

export function reportRows(r: BenchResults, c: BenchConfig): Row[] {
  const failed: Row[] = Object.entries(r.failed).map(([name, message]) => ({ metric: `FAILED ${name}: ${message.split('\n')[0]?.slice(0, 200)}` }));
  return [...throughputRows(r, c), ...ingestRows(r), ...kafkaAndMemoryRows(r), ...peerRows(r), ...tracingRows(r), ...failed];
}

/** Goal column: the goal, and whether this row's own number meets it. */
function goalCell(row: Row): [string, string] {
  if (!row.goal) return ['', ''];
  const met = meets(row.goal, row.measured);
  return [goalText(row.goal), met === undefined ? 'not measured' : met ? 'met' : 'NOT MET'];
}

export function renderText(rows: Row[]): string {
  const width = Math.max(...rows.filter((r) => r.value !== undefined).map((r) => r.metric.length), 20);
  const valueWidth = Math.max(...rows.map((r) => r.value?.length ?? 0), 8);
  return rows
    .map((row) => {
      if (row.value === undefined) return `\n${row.metric}`;
      const [goal, met] = goalCell(row);
      return `  ${row.metric.padEnd(width)}  ${row.value.padStart(valueWidth)}  ${goal ? `${goal.padEnd(22)} ${met}` : ''}`.trimEnd();
    })
    .join('\n');
}

export function renderMarkdown(rows: Row[]): string {
  const lines = ['| metric | measured | goal | |', '|---|---:|---|---|'];
  for (const row of rows) {
    if (row.value === undefined) lines.push(`| **${row.metric}** | | | |`);
    else lines.push(`| ${row.metric} | ${row.value} | ${goalCell(row).join(' | ')} |`);
  }
  return lines.join('\n');
}
