import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { runBullmq } from './bullmq';
import { renderChart } from './chart';
import { loadBenchConfig, type BenchConfig, type ScenarioName } from './config';
import { fmt, type BenchContext } from './context';
import { checkGoals } from './goals';
import { waitForQuiet } from './metrics';
import { runKafkaCeiling } from './kafka-ceiling';
import { runKafkaDirect } from './kafka-direct';
import { runLatencyAtHalf } from './latency-at-half';
import { memoryOfStack } from './processes';
import { Progress } from './progress';
import { renderMarkdown, renderText, reportRows } from './report';
import { ratios, type BenchResults } from './results';
import { Sampler } from './sampler';
import { runSingleIngest } from './single-ingest';
import { runThroughput, warmUp } from './throughput';
import { runTracingOverhead } from './tracing-overhead';

/** A consumer idle this long after a failed scenario has drained what it left behind. */
const QUIET_AFTER_FAILURE_MS = 3000;

/** Scenarios that send work through taskstream and so want a warmed-up pipeline first. */
const NEEDS_WARM_UP: ScenarioName[] = ['throughput', 'ingest', 'latency'];

/** Each scenario stores its result; one failing does not stop the others (the run still exits 1). */
const STEPS: Record<ScenarioName, (ctx: BenchContext, r: BenchResults) => Promise<void>> = {
  throughput: async (ctx, r) => {
    ctx.sampler.phase('throughput');
    r.throughput = await runThroughput(ctx, { tasks: ctx.config.tasks, label: 'throughput', checkLost: true });
  },
  ingest: async (ctx, r) => {
    r.singleIngest = await runSingleIngest(ctx);
  },
  latency: async (ctx, r) => {
    r.latencyAtHalf = await runLatencyAtHalf(ctx, r.throughput?.endToEndPerSecond ?? NaN);
  },
  memory: async (ctx, r) => {
    r.memory = memoryOfStack(ctx.config.runDir);
  },
  kafka: async (ctx, r) => {
    r.kafkaDirect = await runKafkaDirect(ctx);
  },
  ceiling: async (ctx, r) => {
    r.ceiling = await runKafkaCeiling(ctx);
  },
  bullmq: async (ctx, r) => {
    r.bullmq = await runBullmq(ctx);
  },
  tracing: async (ctx, r) => {
    r.tracing = await runTracingOverhead(ctx);
  },
};

async function runScenarios(ctx: BenchContext): Promise<BenchResults> {
  const results: BenchResults = { failed: {} };
  const { scenarios } = ctx.config;
  if (NEEDS_WARM_UP.some((s) => scenarios.has(s))) {
    ctx.sampler.phase('warm-up');
    await warmUp(ctx);
  }
  for (const name of Object.keys(STEPS) as ScenarioName[]) {
    if (!scenarios.has(name)) continue;
    const started = performance.now();
    try {
      await STEPS[name](ctx, results);
      ctx.progress.log(`${name}: done in ${fmt((performance.now() - started) / 1000, 1)} s`);
    } catch (err) {
      ctx.progress.log(`${name}: FAILED: ${(err as Error).message}`);
      results.failed[name] = (err as Error).message;
      ctx.sampler.phase(`${name} failed: drain`);
      await waitForQuiet(ctx.config.consumerUrl, QUIET_AFTER_FAILURE_MS, ctx.config.timeoutInMs);
    }
  }
  return results;
}

function writeResults(config: BenchConfig, results: BenchResults, sampler: Sampler, table: string): string {
  mkdirSync(config.resultsDir, { recursive: true });
  const at = new Date().toISOString();
  const base = join(config.resultsDir, `bench-${at.replace(/[:.]/g, '-')}`);
  const title = `taskstream bench, ${fmt(config.tasks)} tasks, ${at.slice(0, 16).replace('T', ' ')} UTC, ${cpus().length} cores`;
  const json = JSON.stringify(
    {
      at,
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version },
      config: { ...config, scenarios: [...config.scenarios] },
      results,
      ratios: ratios(results),
      goals: checkGoals(results),
      phases: sampler.phases,
      samples: sampler.samples,
    },
    null,
    2,
  );
  const svg = renderChart(sampler.samples, sampler.phases, title);
  // Timestamped files keep the history; latest.* is what docs and the README link to.
  for (const prefix of [base, join(config.resultsDir, 'latest')]) {
    writeFileSync(`${prefix}.json`, json);
    writeFileSync(`${prefix}.svg`, svg);
    writeFileSync(`${prefix}.md`, `${title}\n\n${table}\n`);
  }
  return base;
}

async function main(): Promise<void> {
  const config = loadBenchConfig();
  const progress = new Progress();
  const sampler = new Sampler(config.ingestUrl, config.consumerUrl);
  progress.log(`bench: ${fmt(config.tasks)} tasks per run; scenarios: ${[...config.scenarios].join(', ')}; ${cpus().length} cores shared by everything`);
  sampler.start();
  let results: BenchResults;
  try {
    results = await runScenarios({ config, sampler, progress });
  } finally {
    sampler.stop();
  }
  const rows = reportRows(results, config);
  console.log(renderText(rows));
  const base = writeResults(config, results, sampler, renderMarkdown(rows));
  console.log(`\nresults: ${base}.{json,svg,md} (the same as latest.* beside them)`);
  const lost = results.throughput?.lost ?? 0;
  if (lost > 0 || Object.keys(results.failed).length > 0) process.exitCode = 1;
}

main().catch((err) => {
  console.error(`bench failed: ${(err as Error).message}`);
  process.exit(1);
});
