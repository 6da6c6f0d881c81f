import { Encoder, encoderOver, type KafkajsEncoder } from './kafkajs-encoder';
import { frameRequest, type RequestFrameInput } from './kafkajs-framed-request';
import { printedWithBuild, randomSource, type Random } from './kafkajs-samples.test-helpers';

// Jest's own module registry gives kafkajs's original module here (see the helpers).
const kafkajsFrame = require('kafkajs/src/protocol/request') as (input: RequestFrameInput) => Promise<KafkajsEncoder>;

const CLIENT_IDS = ['taskstream-bridge', '', 'héllo wörld', '日本語', null, 'c'.repeat(300)];

/** A payload as kafkajs's requests make it (an Encoder with spare room) or as ours do (exactly sized). */
function samplePayload(r: Random): KafkajsEncoder {
  const bytes = Buffer.from(Array.from({ length: r.pick([0, 1, 7, 511, 512, 513, 4096, 70_000]) }, () => r.int(256)));
  if (r.int(2) === 0) return encoderOver(bytes);
  // A kafkajs Encoder grown past its first 512 bytes for the larger payloads.
  return new Encoder().writeBytes(bytes);
}

function sampleInput(r: Random): RequestFrameInput {
  const payload = samplePayload(r);
  return {
    correlationId: r.int(2 ** 31),
    clientId: r.pick(CLIENT_IDS),
    request: { apiKey: r.int(70), apiVersion: r.int(13), encode: r.int(2) === 0 ? async () => payload : () => payload },
  };
}

async function outcome(frame: (input: RequestFrameInput) => Promise<KafkajsEncoder>, input: RequestFrameInput) {
  try {
    const encoder = await frame(input);
    return { bytes: encoder.buffer.toString('hex'), size: encoder.size() };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

describe('kafkajs request framed in one buffer', () => {
  it('when generated requests are framed, then the bytes and size equal kafkajs 2.2.4', async () => {
    for (let seed = 1; seed <= 200; seed++) {
      const input = sampleInput(randomSource(seed));
      const expected = await outcome(kafkajsFrame, input);
      expect({ seed, ...(await outcome(frameRequest, input)) }).toEqual({ seed, ...expected, error: undefined });
    }
  });

  it('when a field is out of range or the payload is not an Encoder, then it fails as kafkajs does', async () => {
    const base = { correlationId: 1, clientId: 'c', request: { apiKey: 0, apiVersion: 7, encode: () => encoderOver(Buffer.from('x')) } };
    const odd: RequestFrameInput[] = [
      { ...base, request: { ...base.request, apiKey: 40_000 } },
      { ...base, correlationId: 2 ** 32 },
      { ...base, request: { ...base.request, encode: () => ({}) as KafkajsEncoder } },
      { ...base, request: { ...base.request, encode: () => null as unknown as KafkajsEncoder } },
    ];
    for (const input of odd) {
      const expected = await outcome(kafkajsFrame, input);
      expect(expected.error).toBeDefined();
      expect(await outcome(frameRequest, input)).toEqual(expected);
    }
  });

  it('when a payload is framed, then the frame is exactly its size and holds one copy of the payload', async () => {
    const payload = encoderOver(Buffer.alloc(100_000, 7));
    const frame = await frameRequest({ correlationId: 3, clientId: 'bridge', request: { apiKey: 0, apiVersion: 7, encode: () => payload } });
    // size, apiKey, apiVersion, correlationId, clientId (length + 6 bytes), payload
    expect(frame.buf.length).toBe(4 + 2 + 2 + 4 + 2 + 6 + 100_000);
    expect(frame.buf.buffer).not.toBe(payload.buf.buffer);
  });

  it('when the built library is loaded in plain Node, then a kafkajs connection frames its requests with it', () => {
    const code = `
      const createRequest = require('kafkajs/src/protocol/request');
      console.log(createRequest.name);`;
    expect(printedWithBuild(code)).toBe('frameRequest');
  });
});
