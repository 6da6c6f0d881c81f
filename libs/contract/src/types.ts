/** What a client sends: one task (HTTP body or third-party Kafka record). */
export interface TaskInput {
  type: string;
  payload: unknown;
  key?: string;
  id?: string;
  maxAttempts?: number;
}

/** The task as it travels through Redis and Kafka (the Kafka record value). */
export interface TaskEnvelope {
  id: string;
  type: string;
  key: string;
  payload: unknown;
  /** Epoch milliseconds when ingest accepted the task. */
  createdAt: number;
  /** 1 for the first run; grows with each retry. */
  attempt: number;
  maxAttempts?: number;
}

/** W3C trace context carried with a task across Redis, where there are no headers. */
export interface TraceCarrier {
  traceparent?: string;
  tracestate?: string;
}

export const TaskStatuses = ['queued', 'published', 'processing', 'retrying', 'succeeded', 'dead'] as const;
export type TaskStatus = (typeof TaskStatuses)[number];

/** What `GET /v1/tasks/{id}` answers. */
export interface TaskView {
  id: string;
  type: string;
  key: string;
  status: TaskStatus;
  attempts: number;
  createdAt: string;
  updatedAt: string;
  result?: unknown;
  error?: { code: string; message: string };
}

export interface Problem {
  /** JSON-pointer-like path of the bad field, e.g. `/tasks/3/type`. */
  path: string;
  message: string;
}
