import type { Logger } from '@taskstream/telemetry';

export interface ShutdownStep {
  name: string;
  run: () => Promise<void> | void;
}

export interface ShutdownOptions {
  logger: Logger;
  /** Run in order: readiness off, stop intake, drain, close clients, flush telemetry. */
  steps: ShutdownStep[];
  /** After this the process exits even if a step hangs. Default: 30000 ms. */
  forceAfterInMs?: number;
}

/**
 * Returns an idempotent `stop()`: every step runs in its own try/catch so one
 * failure never skips the rest, and the promise is shared by all callers.
 */
export function createShutdown(options: ShutdownOptions): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => {
    closing ??= (async () => {
      for (const step of options.steps) {
        const started = Date.now();
        try {
          await step.run();
          options.logger.info({ step: step.name, ms: Date.now() - started }, 'shutdown step done');
        } catch (err) {
          options.logger.error({ err, step: step.name }, 'shutdown step failed');
        }
      }
    })();
    return closing;
  };
}

/** SIGTERM/SIGINT run `stop` then exit; a second signal or the force timeout exits at once. */
export function exitOnSignals(stop: () => Promise<void>, logger: Logger, forceAfterInMs = 30_000): void {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      logger.warn({ signal }, 'second signal, exiting now');
      process.exit(1);
    }
    signalled = true;
    logger.info({ signal }, 'stopping');
    setTimeout(() => {
      logger.error({ forceAfterInMs }, 'shutdown took too long, forcing exit');
      process.exit(1);
    }, forceAfterInMs).unref();
    stop().then(
      () => process.exit(0),
      (err) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/**
 * For errors a process cannot recover from (a consumer kafkajs will not
 * restart): clean up what can be, then exit non-zero so the supervisor
 * (Kubernetes, systemd, services.sh) starts a fresh process.
 */
export function exitAfterFatal(stop: () => Promise<void>, logger: Logger): (err: unknown) => void {
  return (err) => {
    logger.fatal({ err }, 'unrecoverable error, stopping');
    stop().finally(() => process.exit(1));
  };
}
