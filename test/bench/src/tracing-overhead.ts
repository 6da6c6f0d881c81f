import { type BenchContext } from './context';
import { restartServices } from './services';
import { runThroughput, warmUp } from './throughput';

export interface TracingRun {
  setting: string;
  /** 1 for the first run of a setting, 2 for its repeat, … */
  round: number;
  env: Record<string, string>;
  endToEndPerSecond: number;
  acceptedPerSecond: number;
  /** Ingest batch request p99, and accepted → done p99, both at saturation (ms). */
  batchP99Ms: number;
  endToEndP99Ms: number;
  cpuMicrosPerTask: Record<string, number>;
}

export interface TracingOverheadResult {
  tasks: number;
  rounds: number;
  runs: TracingRun[];
  /** 1 - rate(1%) / rate(off), each the mean over its rounds: the throughput 1% sampling costs (goal ≤ 0.05). */
  costAt1Percent: number;
  costAt100Percent: number;
  /** 1 - CPU per task (off) / CPU per task (1%), all processes: steadier than throughput on a busy machine. */
  cpuCostAt1Percent: number;
}

/** OTEL_SDK_DISABLED / OTEL_TRACES_SAMPLER_ARG are read by libs/telemetry at service start. */
const OFF = { setting: 'off', env: { OTEL_SDK_DISABLED: 'true' } };
const FULL = { setting: '100%', env: { OTEL_TRACES_SAMPLER_ARG: '1' } };
const ONE_PERCENT = { setting: '1%', env: { OTEL_TRACES_SAMPLER_ARG: '0.01' } };

/**
 * Off and 1% in rounds whose order alternates (off, 1%, 1%, off, …), then 100%
 * once, last. One run of a setting can land on a bad moment of a shared machine
 * (a full bench once measured 1% at 42% and a run right after it at 5%), and
 * later runs find more data in Redis and Kafka: alternating the order gives
 * both settings the same mean place in the sequence for an even number of
 * rounds (the default 2), so drift cancels in their means. 100% comes last because Jaeger is still digesting its spans for a
 * while after it, which slowed whatever ran next (it used to be a 1% run).
 */
export function schedule(rounds: number): { setting: string; env: Record<string, string>; round: number }[] {
  const runs: { setting: string; env: Record<string, string>; round: number }[] = [];
  for (let round = 1; round <= rounds; round++) {
    const pair = round % 2 === 1 ? [OFF, ONE_PERCENT] : [ONE_PERCENT, OFF];
    runs.push(...pair.map((setting) => ({ ...setting, round })));
  }
  runs.push({ ...FULL, round: 1 });
  return runs;
}

/**
 * The same HTTP batch throughput run with tracing off, at 1% and at 100%
 * sampling: the services are restarted with each setting (deploy/local passes
 * the environment through), warmed up, then measured.
 */
export async function runTracingOverhead(ctx: BenchContext): Promise<TracingOverheadResult> {
  const { config, progress, sampler } = ctx;
  const runs: TracingRun[] = [];
  try {
    for (const { setting, env, round } of schedule(config.tracingRounds)) {
      sampler.phase(`tracing ${setting}: restart`);
      progress.log(`tracing ${setting}: restarting the services with ${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ')}…`);
      await restartServices(config.repoRoot, [], env);
      await warmUp(ctx);
      sampler.phase(`tracing ${setting}`);
      const result = await runThroughput(ctx, { tasks: config.tracingTasks, label: `tracing ${setting}`, checkLost: false });
      runs.push({
        setting,
        round,
        env,
        endToEndPerSecond: result.endToEndPerSecond,
        acceptedPerSecond: result.acceptedPerSecond,
        batchP99Ms: result.batchLatencyMs.p99,
        endToEndP99Ms: result.endToEndMs.p99,
        cpuMicrosPerTask: result.cpuMicrosPerTask,
      });
    }
  } finally {
    // The last setting (100%) is not how the services normally run: restart them as the bench found them.
    sampler.phase('restore services');
    progress.log('tracing: restarting the services with the environment the bench started with…');
    await restartServices(config.repoRoot);
  }
  const mean = (setting: string, value: (run: TracingRun) => number) => {
    const of = runs.filter((r) => r.setting === setting);
    return of.length ? of.reduce((sum, r) => sum + value(r), 0) / of.length : NaN;
  };
  const rate = (setting: string) => mean(setting, (r) => r.endToEndPerSecond);
  const cpu = (setting: string) => mean(setting, (r) => Object.values(r.cpuMicrosPerTask).reduce((a, b) => a + b, 0));
  return {
    tasks: config.tracingTasks,
    rounds: config.tracingRounds,
    runs,
    costAt1Percent: 1 - rate('1%') / rate('off'),
    costAt100Percent: 1 - rate('100%') / rate('off'),
    cpuCostAt1Percent: 1 - cpu('off') / cpu('1%'),
  };
}
