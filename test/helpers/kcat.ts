import { spawn, spawnSync } from 'node:child_process';
import { KAFKA_BROKERS } from './env';

/** Fails with what to do when the kcat CLI (Debian package `kcat`) is missing: the suites using it never skip. */
export function requireKcat(): void {
  const probe = spawnSync('kcat', ['-V'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(`kcat is not installed or does not run (${probe.error?.message ?? probe.stderr}): run \`deploy/local/stack.sh deps\` to install it`);
  }
}

export interface KcatProduceOptions {
  /** Partition to write to; default: kcat's partitioner. */
  partition?: number;
  /** Split each line into key and value at this delimiter (`-K`). */
  keyDelimiter?: string;
  /** Headers added to every record (`-H name=value`). */
  headers?: Record<string, string>;
}

/**
 * Writes records with the real kcat CLI, as a third-party producer would.
 * `lines`: one record per line on stdin; `files`: one record per file, byte for byte.
 */
export async function kcatProduce(topic: string, input: { lines: string[] } | { files: string[] }, options: KcatProduceOptions = {}, timeoutInMs = 30_000): Promise<void> {
  const args = ['-P', '-q', '-b', KAFKA_BROKERS.join(','), '-t', topic];
  if (options.partition !== undefined) args.push('-p', String(options.partition));
  if (options.keyDelimiter !== undefined) args.push('-K', options.keyDelimiter);
  for (const [name, value] of Object.entries(options.headers ?? {})) args.push('-H', `${name}=${value}`);
  if ('files' in input) args.push(...input.files);
  const proc = spawn('kcat', args, { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  proc.stdin.end('lines' in input ? `${input.lines.join('\n')}\n` : undefined);
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`kcat ${args.join(' ')} did not finish within ${timeoutInMs} ms`));
    }, timeoutInMs);
    proc.once('error', reject);
    proc.once('exit', (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  if (code !== 0) throw new Error(`kcat ${args.join(' ')} exited with ${code}: ${stderr.trim()}`);
}
