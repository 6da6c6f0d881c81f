import { newTaskId, validateTask, type Problem, type TaskEnvelope, type TaskInput, type TraceCarrier } from '@taskstream/contract';
import { ErrorCodes, TaskstreamError } from '@taskstream/errors';
import type { EnqueueResult, TaskBuffer } from '@taskstream/queue';

export function toEnvelope(input: TaskInput, now: number): TaskEnvelope {
  const id = input.id ?? newTaskId(now);
  const envelope: TaskEnvelope = { id, type: input.type, key: input.key ?? id, payload: input.payload, createdAt: now, attempt: 1 };
  if (input.maxAttempts !== undefined) envelope.maxAttempts = input.maxAttempts;
  return envelope;
}

/** Validates every task and names each bad one; nothing is enqueued unless all are valid. */
export function validateBatch(body: unknown, maxTasks: number): TaskInput[] {
  const tasks = (body as { tasks?: unknown } | null)?.tasks;
  if (!Array.isArray(tasks) || tasks.length === 0 || tasks.length > maxTasks) {
    throw new TaskstreamError(ErrorCodes.VALIDATION_FAILED, `body must be {"tasks":[...]} with 1 to ${maxTasks} tasks`, {
      details: [{ path: '/tasks', message: `must be an array of 1 to ${maxTasks} tasks` }],
    });
  }
  const problems: Problem[] = [];
  const invalidIndexes: number[] = [];
  tasks.forEach((task, index) => {
    const validation = validateTask(task, `/tasks/${index}`);
    if (!validation.ok) {
      invalidIndexes.push(index);
      problems.push(...validation.problems);
    }
  });
  if (problems.length) {
    throw new TaskstreamError(ErrorCodes.VALIDATION_FAILED, `${invalidIndexes.length} of ${tasks.length} tasks are invalid: indexes ${invalidIndexes.slice(0, 20).join(', ')}`, {
      details: problems,
    });
  }
  return tasks as TaskInput[];
}

export function validateSingle(body: unknown): TaskInput {
  const validation = validateTask(body);
  if (!validation.ok) throw new TaskstreamError(ErrorCodes.VALIDATION_FAILED, 'task is invalid', { details: validation.problems });
  return validation.task;
}

/** Puts tasks into the buffer, each with its own trace context; maps a full buffer and an unreachable Redis to their errors. */
export async function enqueueOrThrow(buffer: TaskBuffer, inputs: TaskInput[], envelopes: TaskEnvelope[], traces: TraceCarrier[]): Promise<Extract<EnqueueResult, { accepted: true }>> {
  let result: EnqueueResult;
  try {
    result = await buffer.enqueue(envelopes.map((envelope, i) => ({ envelope, trace: traces[i]!, clientId: inputs[i]!.id !== undefined })));
  } catch (err) {
    throw new TaskstreamError(ErrorCodes.REDIS_UNAVAILABLE, 'the task buffer (Redis) is unavailable; retry (with the same ids, to stay idempotent)', { retriable: true, cause: err });
  }
  if (!result.accepted) {
    throw new TaskstreamError(ErrorCodes.BUFFER_FULL, `the buffer holds ${result.depth} tasks, at its limit; retry later`, { retriable: true });
  }
  return result;
}
