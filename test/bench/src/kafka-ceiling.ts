import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fmt, type BenchContext } from './context';
import { createBenchKafka, createBenchTopic, deleteTopic, partitionsOf } from './kafka-admin';
import { recordBytes } from './record-size';

const run = promisify(execFile);

export interface KafkaCeilingResult {
  topic: string;
  partitions: number;
  records: number;
  recordBytes: number;
  /** ProducerPerformance, acks=all. */
  producer: { recordsPerSecond: number; mbPerSecond: number; avgLatencyMs: number; p99LatencyMs: number };
  /** ConsumerPerformance: fetch rate (group join excluded) and overall rate. */
  consumer: { recordsPerSecond: number; overallRecordsPerSecond: number; mbPerSecond: number };
  /** min(producer, consumer): the most records/s the broker moves end to end here. */
  ceilingPerSecond: number;
}

/** The tool JVM on the cached jars; default JIT (not the CLI's C1-only flags): it is the thing measured. */
function kafkaTool(ctx: BenchContext, mainClass: string, args: string[]): Promise<string> {
  const { kafkaHome, kafkaLibs, timeoutInMs } = ctx.config;
  const log4j = join(kafkaHome, 'tools-log4j.properties');
  const jvm = ['-Xmx512m', ...(existsSync(log4j) ? [`-Dlog4j.configuration=file:${log4j}`] : []), '-cp', `${kafkaLibs}/*`];
  return run('java', [...jvm, mainClass, ...args], { maxBuffer: 64 * 1024 * 1024, timeout: timeoutInMs }).then((r) => r.stdout);
}

/** Last summary line: "N records sent, R records/sec (M MB/sec), A ms avg latency, X ms max latency, p50 ms 50th, p95 ms 95th, p99 ms 99th, p999 ms 99.9th." */
export function parseProducerPerformance(stdout: string): KafkaCeilingResult['producer'] {
  const line = stdout.trim().split('\n').reverse().find((l) => / records sent, .*99\.9th/.test(l));
  const m = line && /records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\), ([\d.]+) ms avg latency.* ([\d.]+) ms 99th/.exec(line);
  if (!m) throw new Error(`no ProducerPerformance summary in:\n${stdout.slice(-500)}`);
  return { recordsPerSecond: Number(m[1]), mbPerSecond: Number(m[2]), avgLatencyMs: Number(m[3]), p99LatencyMs: Number(m[4]) };
}

/** CSV header + one row: start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec */
export function parseConsumerPerformance(stdout: string): KafkaCeilingResult['consumer'] {
  const lines = stdout.trim().split('\n');
  const headerAt = lines.findIndex((l) => l.includes('nMsg.sec'));
  const header = lines[headerAt]?.split(',').map((s) => s.trim());
  const row = lines[headerAt + 1]?.split(',').map((s) => s.trim());
  if (!header || !row) throw new Error(`no ConsumerPerformance result in:\n${stdout.slice(-500)}`);
  const col = (name: string) => Number(row[header.indexOf(name)]);
  return { recordsPerSecond: col('fetch.nMsg.sec'), overallRecordsPerSecond: col('nMsg.sec'), mbPerSecond: col('fetch.MB.sec') };
}

/**
 * The broker's own ceiling on this machine: Kafka's ProducerPerformance then
 * ConsumerPerformance, same record count, same partitions as the tasks topic,
 * records the size of ours, on a dedicated topic deleted afterwards.
 */
export async function runKafkaCeiling(ctx: BenchContext): Promise<KafkaCeilingResult> {
  const { config, progress, sampler } = ctx;
  if (!existsSync(config.kafkaLibs)) throw new Error(`Kafka jars not found in ${config.kafkaLibs} (make deps fetches them)`);
  const kafka = createBenchKafka(config.kafkaBrokers);
  const partitions = await partitionsOf(kafka, config.tasksTopic);
  const size = config.recordBytes || recordBytes();
  const topic = await createBenchTopic(kafka, partitions);
  const bootstrap = config.kafkaBrokers.join(',');
  try {
    sampler.phase('Kafka ProducerPerformance');
    progress.log(`ceiling: ProducerPerformance, ${fmt(config.tasks)} records of ${size} B on ${partitions} partitions…`);
    const produced = parseProducerPerformance(
      await kafkaTool(ctx, 'org.apache.kafka.tools.ProducerPerformance', [
        '--topic', topic, '--num-records', String(config.tasks), '--record-size', String(size), '--throughput', '-1',
        '--producer-props', `bootstrap.servers=${bootstrap}`, 'acks=all',
      ]),
    );
    sampler.phase('Kafka ConsumerPerformance');
    progress.log(`ceiling: ConsumerPerformance (producer did ${fmt(produced.recordsPerSecond)} records/s)…`);
    const consumed = parseConsumerPerformance(
      await kafkaTool(ctx, 'org.apache.kafka.tools.ConsumerPerformance', ['--bootstrap-server', bootstrap, '--topic', topic, '--messages', String(config.tasks)]),
    );
    return {
      topic,
      partitions,
      records: config.tasks,
      recordBytes: size,
      producer: produced,
      consumer: consumed,
      ceilingPerSecond: Math.min(produced.recordsPerSecond, consumed.recordsPerSecond),
    };
  } finally {
    await deleteTopic(kafka, topic).catch(() => {});
  }
}
