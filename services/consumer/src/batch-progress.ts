import type { TaskEnvelope } from '@taskstream/contract';
import type { OutgoingRecord, TaskPublisher } from '@taskstream/kafka';
import type { StatusTransition, TaskStatusStore } from '@taskstream/queue';
import { retry } from '@taskstream/errors';
import type { Logger } from '@taskstream/telemetry';
import { transitionOf } from './outcome-records';

export interface BatchProgressOptions {
  offsets: string[];
  /** Only status writes: the port is narrowed to what is used (fakes in tests stay small). */
  statusStore: Pick<TaskStatusStore, 'apply'>;
  publisher: TaskPublisher;
  resolveOffset: (offset: string) => void;
  logger: Logger;
  /** Finished tasks whose status was already final: redeliveries, not counted again. */
  onDuplicates?: (count: number) => void;
}

/**
 * What one partition batch has finished, and what is safe to commit. Finished
 * work is written (statuses in one call, dead letters, retries and results in one produce) at each
 * checkpoint; only then does the offset advance, and only over the unbroken
 * run of finished records from the start, so a crash never skips a task.
 *
 * "processing" is written only for tasks still running at a checkpoint: a task
 * that finishes between two checkpoints goes straight to its final status,
 * which halves the status writes of short tasks.
 */
export class BatchProgress {
  private readonly finished: boolean[];
  /** Per item, the task while it runs: its "processing" status is made only if a checkpoint sees it. */
  private readonly running: (TaskEnvelope | undefined)[];
  private transitions: StatusTransition[] = [];
  /** Dead letters, retries and results: produced before the offsets they belong to resolve. */
  private outgoing: OutgoingRecord[] = [];
  private justFinished: number[] = [];
  private nextToResolve = 0;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly options: BatchProgressOptions) {
    this.finished = new Array<boolean>(options.offsets.length).fill(false);
    this.running = new Array<TaskEnvelope | undefined>(options.offsets.length).fill(undefined);
  }

  /** Item `index` started; its "processing" status is written if it still runs at the next checkpoint. */
  started(index: number, task: TaskEnvelope): void {
    this.running[index] = task;
  }

  /** Records that item `index` is done; its writes happen at the next checkpoint, `records` produced before its offset resolves. */
  complete(index: number, transition?: StatusTransition, records?: readonly OutgoingRecord[]): void {
    this.running[index] = undefined;
    if (transition) this.transitions.push(transition);
    if (records) for (const record of records) this.outgoing.push(record);
    this.justFinished.push(index);
  }

  /** Queues a status write without finishing the item (e.g. "retrying"). */
  note(transition: StatusTransition): void {
    this.transitions.push(transition);
  }

  checkpoint(): Promise<void> {
    this.chain = this.chain.then(() => this.flush());
    return this.chain;
  }

  /** "processing" for every task still running, ahead of the queued transitions. */
  private runningTransitions(): StatusTransition[] {
    const processing: StatusTransition[] = [];
    for (const task of this.running) {
      if (task) processing.push(transitionOf(task, 'processing', task.attempt));
    }
    return processing;
  }

  private async flush(): Promise<void> {
    // Written once: a task still running at the next checkpoint is not marked again.
    const processing = this.runningTransitions();
    if (processing.length) this.running.fill(undefined);
    const transitions = processing.length ? [...processing, ...this.transitions] : this.transitions;
    const outgoing = this.outgoing;
    const finished = this.justFinished;
    this.transitions = [];
    this.outgoing = [];
    this.justFinished = [];
    if (transitions.length || outgoing.length) {
      const [applied] = await retry(
        () => Promise.all([this.options.statusStore.apply(transitions), this.options.publisher.publish(outgoing)]),
        { maxAttempts: 8, initialDelayInMs: 200, maxDelayInMs: 5000, onRetry: (err) => this.options.logger.warn({ err }, 'checkpoint write failed, retrying') },
      );
      const duplicates = transitions.filter((t, i) => !applied[i] && (t.status === 'succeeded' || t.status === 'dead')).length;
      if (duplicates) this.options.onDuplicates?.(duplicates);
    }
    for (const index of finished) this.finished[index] = true;
    let last = -1;
    while (this.nextToResolve < this.finished.length && this.finished[this.nextToResolve]) last = this.nextToResolve++;
    if (last >= 0) this.options.resolveOffset(this.options.offsets[last]!);
  }
}
