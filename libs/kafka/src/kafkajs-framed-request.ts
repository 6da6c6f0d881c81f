/**
 * kafkajs 2.2.4 frames every request in `protocol/request.js`: it copies the
 * encoded payload into a new Encoder behind the request header, then copies
 * that into another Encoder behind the size. Each Encoder starts at 512 zeroed
 * bytes and grows to the next power of two, zero-filled, copying what it holds
 * at every step. For a produce request of the bridge (up to 32,000 records,
 * ~10 MB) that is two 16 MiB zero-filled buffers and two full copies per
 * request, ~0.6 µs of CPU per record and the largest transient memory of the
 * process.
 *
 * This installs a replacement in the module cache, before kafkajs's connection
 * module loads it: the size, the header and the payload written into one
 * buffer of the frame's exact size, one copy of the payload, byte-identical
 * (the unit tests compare with kafkajs's module). The header goes through
 * kafkajs's own Encoder, so odd values come out (or throw) as they do in
 * kafkajs. Must be imported before kafkajs.
 */
import { Encoder, encoderOver, type KafkajsEncoder } from './kafkajs-encoder';
import { replaceCachedModule } from './require-cache';

const REQUEST_FRAME_PATH = require.resolve('kafkajs/src/protocol/request');
const SIZE_BYTES = 4;

/** What kafkajs's connection passes in; `encode` is the protocol request's. */
export interface RequestFrameInput {
  correlationId: number;
  clientId: string | null;
  request: { apiKey: number; apiVersion: number; encode(): Promise<KafkajsEncoder> | KafkajsEncoder };
}

export async function frameRequest({ correlationId, clientId, request: { apiKey, apiVersion, encode } }: RequestFrameInput): Promise<KafkajsEncoder> {
  const payload = await encode();
  const header = new Encoder().writeInt16(apiKey).writeInt16(apiVersion).writeInt32(correlationId).writeString(clientId);
  // kafkajs's writeEncoder() accepts anything with a Buffer `buf` and copies its `buffer`.
  if (payload == null || !Buffer.isBuffer(payload.buf)) throw new Error('value should be an instance of Encoder');
  const body = payload.buffer;
  const size = header.offset + body.length;
  // Unsafe (uninitialised) is fine: the size, the header and the body fill every byte.
  const frame = Buffer.allocUnsafe(SIZE_BYTES + size);
  frame.writeInt32BE(size, 0);
  header.buf.copy(frame, SIZE_BYTES, 0, header.offset);
  body.copy(frame, SIZE_BYTES + header.offset);
  return encoderOver(frame);
}

replaceCachedModule(REQUEST_FRAME_PATH, frameRequest);
