import { Headers, type TopicNames } from '@taskstream/contract';
import type { OutgoingRecord } from '@taskstream/kafka';
import type { ReopenedTask } from '@taskstream/queue';
import type { DeadLetter } from './dlq-read';

/**
 * Headers a replay drops: those the dead-lettering added, so a replayed task starts clean (keeping its
 * id and trace context), and the bridge's first-send mark, since a replay is another copy of the task.
 */
const DROPPED_ON_REPLAY = new Set<string>([Headers.errorCode, Headers.errorMessage, Headers.attempts, Headers.originTopic, Headers.originPartition, Headers.originOffset, 'retry-at', Headers.firstSend]);

export type ReplayPlan = { letter: DeadLetter; record: OutgoingRecord; task: ReopenedTask } | { letter: DeadLetter; skipped: string };

/**
 * What replaying a dead letter means: the task goes back to the main topic
 * with attempt 1, the same id, key and trace headers. Records that never were
 * tasks (bad JSON, binary, wrong shape) cannot run and are skipped.
 */
export function planReplay(letter: DeadLetter, topics: TopicNames): ReplayPlan {
  let task: Record<string, unknown>;
  try {
    task = JSON.parse(letter.value.toString('utf8')) as Record<string, unknown>;
  } catch {
    return { letter, skipped: 'value is not JSON' };
  }
  if (typeof task !== 'object' || task === null || Array.isArray(task) || typeof task.type !== 'string') return { letter, skipped: 'value is not a task' };
  const taskId = typeof task.id === 'string' ? task.id : letter.headers[Headers.taskId];
  if (!taskId) return { letter, skipped: 'no task id' };
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(letter.headers)) if (!DROPPED_ON_REPLAY.has(name)) headers[name] = value;
  headers[Headers.taskId] = taskId;
  const value = JSON.stringify({ ...task, id: taskId, attempt: 1 });
  const key = typeof task.key === 'string' ? task.key : taskId;
  const createdAt = typeof task.createdAt === 'number' ? task.createdAt : Date.now();
  return { letter, task: { id: taskId, type: task.type, key, createdAt }, record: { topic: topics.tasks, key: letter.key ?? key, value, headers } };
}

export interface ReplayFilter {
  errorCode?: string;
  taskIds?: string[];
  /** `partition:offset` of single dead letters. */
  positions?: string[];
}

export function matches(letter: DeadLetter, filter: ReplayFilter): boolean {
  if (filter.errorCode && letter.headers[Headers.errorCode] !== filter.errorCode) return false;
  if (filter.taskIds?.length && !filter.taskIds.includes(letter.headers[Headers.taskId] ?? '')) return false;
  if (filter.positions?.length && !filter.positions.includes(`${letter.partition}:${letter.offset}`)) return false;
  return true;
}
