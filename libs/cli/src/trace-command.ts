import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { findTaskTraces } from './jaeger';
import { renderWaterfall } from './waterfall';

export const TRACE_USAGE = `  trace  find a task's trace in Jaeger (by its task.id) and print it as a waterfall
         <task-id> --jaeger URL (JAEGER_URL, http://127.0.0.1:16686) --lookback-h N (24)
         --wait-s N (0: seconds to keep looking while spans are still being exported)`;

/** `taskstream trace <task-id>`: 0 when a trace was found and printed, 1 when none was. */
export async function traceCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      jaeger: { type: 'string', default: process.env.JAEGER_URL ?? 'http://127.0.0.1:16686' },
      'lookback-h': { type: 'string', default: '24' },
      'wait-s': { type: 'string', default: '0' },
    },
  });
  const taskId = positionals[0];
  if (!taskId) throw new Error(`a task id is needed\n${TRACE_USAGE}`);
  const deadline = Date.now() + Number(values['wait-s']) * 1000;
  let traces = await findTaskTraces(values.jaeger!, taskId, Number(values['lookback-h']) * 3_600_000);
  // Services export spans in batches (every few seconds): a just-finished task may need a moment.
  while (traces.length === 0 && Date.now() < deadline) {
    await sleep(1000);
    traces = await findTaskTraces(values.jaeger!, taskId, Number(values['lookback-h']) * 3_600_000);
  }
  if (traces.length === 0) {
    console.error(`no trace of task ${taskId} in ${values.jaeger} (not sampled: OTEL_TRACES_SAMPLER_ARG is the share of tasks traced, default 0.01)`);
    return 1;
  }
  traces.forEach((trace, i) => {
    if (i > 0) console.log('');
    console.log(renderWaterfall(trace).join('\n'));
  });
  return 0;
}
