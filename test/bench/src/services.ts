import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Variables the tracing scenario sets; cleared first so the caller's shell cannot leak a setting in. */
const TRACING_ENV = ['OTEL_SDK_DISABLED', 'OTEL_TRACES_SAMPLER_ARG'];

/**
 * Runs deploy/local/services.sh (stop|start [names]); the environment passes
 * through to the services, which is how a scenario changes their settings.
 */
export async function servicesCommand(repoRoot: string, args: string[], overrides?: Record<string, string>): Promise<void> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (overrides) {
    for (const name of TRACING_ENV) delete env[name];
    Object.assign(env, overrides);
  }
  try {
    await run('bash', [join(repoRoot, 'deploy', 'local', 'services.sh'), ...args], { env, maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    const stderr = String((err as { stderr?: string }).stderr ?? '').trim().split('\n').slice(-15).join('\n');
    throw new Error(`services.sh ${args.join(' ')} failed:\n${stderr}`, { cause: err });
  }
}

/** Stops then starts the named services (all when none), with `overrides` in their environment. */
export async function restartServices(repoRoot: string, names: string[] = [], overrides?: Record<string, string>): Promise<void> {
  await servicesCommand(repoRoot, ['stop', ...names], overrides);
  await servicesCommand(repoRoot, ['start', ...names], overrides);
}
