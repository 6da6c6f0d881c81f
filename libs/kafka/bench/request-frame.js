/**
 * Micro-benchmark: framing a request (size, header, payload) with kafkajs
 * 2.2.4's `protocol/request.js`, then with `kafkajs-framed-request`. The
 * payload is the size of a full bridge produce request. Prints milliseconds of
 * CPU per request (the garbage collection of what it leaves not counted) and
 * the bytes each allocates outside the V8 heap per request.
 * Not a test: numbers depend on the machine and what else runs on it.
 *
 *   npx tsc -b && node --expose-gc libs/kafka/bench/request-frame.js [payloadMiB=10] [requests=50]
 */
const { join } = require('node:path');

const [payloadMiB = 10, requests = 50] = process.argv.slice(2).map(Number);
const REQUEST_PATH = require.resolve('kafkajs/src/protocol/request');
const kafkajsFrame = require(REQUEST_PATH);
delete require.cache[REQUEST_PATH];
const { encoderOver } = require(join(__dirname, '..', 'dist', 'kafkajs-encoder'));
const { frameRequest } = require(join(__dirname, '..', 'dist', 'kafkajs-framed-request'));

const payload = encoderOver(Buffer.alloc(payloadMiB * 1024 * 1024, 1));
const input = { correlationId: 42, clientId: 'taskstream-bridge', request: { apiKey: 0, apiVersion: 7, encode: async () => payload } };

/** CPU ms per request, and external bytes allocated per request (ArrayBuffers made while framing, before GC frees them). */
async function measure(frame) {
  let [allocated, cpuInUs] = [0, 0];
  for (let i = 0; i < requests; i++) {
    // The collection of the previous request's buffers is not counted: kafkajs's frame leaves more of them.
    global.gc();
    const before = process.memoryUsage().arrayBuffers;
    const cpuStart = process.cpuUsage();
    const frameBytes = (await frame(input)).buffer.length;
    const cpu = process.cpuUsage(cpuStart);
    cpuInUs += cpu.user + cpu.system;
    allocated += process.memoryUsage().arrayBuffers - before;
    if (frameBytes !== payload.buf.length + 4 + 8 + 2 + 17) throw new Error(`unexpected frame of ${frameBytes} bytes`);
  }
  return { ms: cpuInUs / 1e3 / requests, mib: allocated / requests / 1024 / 1024 };
}

(async () => {
  if (!global.gc) throw new Error('run with node --expose-gc');
  for (let round = 1; round <= 3; round++) {
    for (const [name, frame] of [['kafkajs', kafkajsFrame], ['one copy', frameRequest]]) {
      const { ms, mib } = await measure(frame);
      console.log(`round ${round}  ${name.padEnd(8)}  ${ms.toFixed(2).padStart(6)} ms CPU per ${payloadMiB} MiB request  ${mib.toFixed(1).padStart(5)} MiB allocated per request`);
    }
  }
})();
