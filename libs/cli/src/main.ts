#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { dlq, DLQ_USAGE } from './dlq-command';
import { runLoad } from './load';
import { statsCommand, STATS_USAGE } from './stats-command';
import { traceCommand, TRACE_USAGE } from './trace-command';

const USAGE = `usage: taskstream <command> [options]

commands:
  load   send tasks through ingest and wait until the consumer finished them
         --tasks N (100000) --batch N (1000) --concurrency N (4) --type T (noop)
         --keys N (1000) --ingest URL (http://127.0.0.1:8080)
         --consumer-metrics URL (http://127.0.0.1:8082/metrics) --timeout-s N (300)
${DLQ_USAGE}
${TRACE_USAGE}
${STATS_USAGE}

Settings come from the same environment variables as the services (README, Configuration).`;

async function load(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      tasks: { type: 'string', default: '100000' },
      batch: { type: 'string', default: '1000' },
      concurrency: { type: 'string', default: '4' },
      type: { type: 'string', default: 'noop' },
      keys: { type: 'string', default: '1000' },
      ingest: { type: 'string', default: 'http://127.0.0.1:8080' },
      'consumer-metrics': { type: 'string', default: 'http://127.0.0.1:8082/metrics' },
      'timeout-s': { type: 'string', default: '300' },
    },
  });
  const report = await runLoad(
    {
      ingestUrl: values.ingest!,
      consumerMetricsUrl: values['consumer-metrics']!,
      tasks: Number(values.tasks),
      batchSize: Number(values.batch),
      concurrency: Number(values.concurrency),
      type: values.type!,
      keys: Number(values.keys),
      timeoutInMs: Number(values['timeout-s']) * 1000,
    },
    (line) => console.log(line),
  );
  const rate = Math.round(report.tasks / (report.doneMs / 1000));
  console.log(
    `sent ${report.tasks} ${values.type} tasks over ${values.keys} keys: accepted in ${report.acceptMs} ms, ` +
      `${report.finished} finished after ${report.doneMs} ms (${rate} tasks/s end to end), ${report.rejected429} batches retried after 429`,
  );
  return report.finished >= report.tasks ? 0 : 1;
}

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  switch (command) {
    case 'load':
      return load(rest);
    case 'dlq':
      return dlq(rest);
    case 'trace':
      return traceCommand(rest);
    case 'stats':
      return statsCommand(rest);
    default:
      console.error(USAGE);
      return command === undefined || command === 'help' ? 0 : 2;
  }
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`taskstream: ${err.message}`);
    process.exit(1);
  },
);
