import type { TaskEnvelope, TaskStatus, TaskView } from '@taskstream/contract';
import type { StatusTransition } from './types';

/**
 * A status as Redis keeps it: one JSON object with short names (`s` status,
 * `ty` type, `k` key when it is not the id, `c` created and `u` updated in
 * epoch ms, `a` attempts, `q` shard:position while queued, `r` result, `e`
 * error). `s` comes first: the Lua scripts tell a finished task by the
 * value's first bytes, without decoding JSON.
 */
interface StoredStatus {
  s: TaskStatus;
  ty: string;
  k?: string;
  c: number;
  u?: number;
  a?: number;
  q?: string;
  r?: unknown;
  e?: TaskView['error'];
}

const keyPart = (id: string, key: string) => (key === id ? '' : `,"k":${JSON.stringify(key)}`);

/** The queued status up to its place in the shard, which the enqueue script appends with `"}`. */
export function queuedStatusHead(envelope: TaskEnvelope): string {
  return `{"s":"queued","ty":${JSON.stringify(envelope.type)},"c":${envelope.createdAt}${keyPart(envelope.id, envelope.key)},"q":"`;
}

/** A consumer's transition, or a replay's return to `published`. */
export type StoredTransition = Omit<StatusTransition, 'status'> & { status: TaskStatus };

/** The whole status after a transition. The detail is JSON already and goes in as it is. */
export function transitionStatus(t: StoredTransition, nowInMs: number): string {
  const detail = t.detail === undefined ? '' : `,"${t.status === 'succeeded' ? 'r' : 'e'}":${t.detail}`;
  return `{"s":"${t.status}","ty":${JSON.stringify(t.type)},"c":${t.createdAt}${keyPart(t.id, t.key)},"a":${t.attempts},"u":${nowInMs}${detail}}`;
}

/** The stored status as the API shows it. A queued task counts as published once its place is within its shard's published count. */
export function statusView(id: string, stored: StoredStatus, publishedInShard: number): TaskView {
  const position = Number(stored.q?.split(':')[1] ?? Infinity);
  const view: TaskView = {
    id,
    type: stored.ty,
    key: stored.k ?? id,
    status: stored.s === 'queued' && position <= publishedInShard ? 'published' : stored.s,
    attempts: stored.a ?? 0,
    createdAt: new Date(stored.c).toISOString(),
    updatedAt: new Date(stored.u ?? stored.c).toISOString(),
  };
  if (stored.r !== undefined) view.result = stored.r;
  if (stored.e !== undefined) view.error = stored.e;
  return view;
}

export function parseStoredStatus(raw: string): StoredStatus {
  return JSON.parse(raw) as StoredStatus;
}

/** The shard of a queued status (its published count decides queued or published), else undefined. */
export function queuedShardOf(stored: StoredStatus): string | undefined {
  return stored.s === 'queued' ? stored.q?.split(':')[0] : undefined;
}
