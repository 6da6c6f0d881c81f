import { trace } from '@opentelemetry/api';
import { Writable } from 'node:stream';
import { createLogger, PAYLOAD_CENSOR, type LoggerOptions } from './logger';
import { startTestTracing, type TestTracing } from './testing';

function capture(options: LoggerOptions = {}) {
  const lines: Record<string, any>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { logger: createLogger('test', { level: 'info', ...options, destination }), lines };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('logger', () => {
  let tracing: TestTracing;
  beforeAll(() => (tracing = startTestTracing(1)));
  afterAll(() => tracing.stop());

  it('when a line is written inside a span, then it carries that span\'s trace_id and span_id', async () => {
    const { logger, lines } = capture();
    const child = logger.child({ component: 'processor' });
    await trace.getTracer('test').startActiveSpan('work', async (span) => {
      child.info('inside');
      span.end();
    });
    child.info('outside');
    await flush();
    const span = tracing.spans().find((s) => s.name === 'work')!;
    expect(lines[0]).toMatchObject({ msg: 'inside', component: 'processor', trace_id: span.spanContext().traceId, span_id: span.spanContext().spanId });
    expect(lines[1]).toMatchObject({ msg: 'outside' });
    expect(lines[1]).not.toHaveProperty('trace_id');
  });

  it('when payloads are not enabled, then payload and body fields are hidden, wherever they sit', async () => {
    const { logger, lines } = capture();
    const err = Object.assign(new Error('webhook answered 500'), { details: { status: 500, body: 'secret' } });
    logger.info({ payload: { card: '4111' }, task: { id: 't1', payload: 'secret' }, response: { body: 'secret' }, err }, 'task');
    await flush();
    expect(lines[0]).toMatchObject({ payload: PAYLOAD_CENSOR, task: { id: 't1', payload: PAYLOAD_CENSOR }, response: { body: PAYLOAD_CENSOR } });
    expect(lines[0]!.err).toMatchObject({ message: 'webhook answered 500', details: { status: 500, body: PAYLOAD_CENSOR } });
    expect(JSON.stringify(lines[0])).not.toMatch(/4111|secret/);
  });

  it('when LOG_PAYLOADS is on, then payloads are logged as they are', async () => {
    const { logger, lines } = capture({ logPayloads: true });
    logger.info({ task: { payload: { n: 1 } } }, 'task');
    await flush();
    expect(lines[0]).toMatchObject({ task: { payload: { n: 1 } } });
  });
});
