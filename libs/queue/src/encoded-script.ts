import type Redis from 'ioredis';
import { Command } from 'ioredis';
import { writeText } from '@taskstream/contract';
// Imported, not the global: on Node 20 the global `Buffer` is a getter, read here once per argument.
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';

/** A script's arguments: values, or one array of them (a large list must not be spread). */
export type EncodedScriptArgs = (string | number | (string | number)[])[];
export type EncodedScriptCall = (...args: EncodedScriptArgs) => Promise<unknown>;

const CR = 13;
const LF = 10;
const DOLLAR = 36;
const ZERO = 48;

function digitCount(n: number): number {
  let digits = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    digits++;
  }
  return digits;
}

/** Writes a non-negative integer in decimal at `offset`; returns the offset after it. */
function writeDecimal(buffer: Buffer, offset: number, n: number): number {
  const end = offset + digitCount(n);
  for (let at = end - 1; at >= offset; at--) {
    buffer[at] = ZERO + (n % 10);
    n = Math.floor(n / 10);
  }
  return end;
}

/**
 * The RESP bytes of `EVALSHA <sha> <numberOfKeys> ...args`, written into one
 * exactly sized buffer: the same bytes ioredis writes for the command.
 */
export function encodeEvalsha(sha: string, numberOfKeys: number, args: readonly (string | number)[]): Buffer {
  const head = `*${args.length + 3}\r\n$7\r\nevalsha\r\n$${sha.length}\r\n${sha}\r\n$${digitCount(numberOfKeys)}\r\n${numberOfKeys}\r\n`;
  const texts = new Array<string>(args.length);
  const sizes = new Array<number>(args.length);
  let total = head.length;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const text = typeof arg === 'string' ? arg : String(arg);
    const size = Buffer.byteLength(text);
    texts[i] = text;
    sizes[i] = size;
    total += size + digitCount(size) + 5;
  }
  const buffer = Buffer.allocUnsafe(total);
  let offset = buffer.write(head, 0, 'latin1');
  for (let i = 0; i < texts.length; i++) {
    const text = texts[i]!;
    const size = sizes[i]!;
    buffer[offset++] = DOLLAR;
    offset = writeDecimal(buffer, offset, size);
    buffer[offset++] = CR;
    buffer[offset++] = LF;
    writeText(buffer, offset, text, size);
    offset += size;
    buffer[offset++] = CR;
    buffer[offset++] = LF;
  }
  return buffer;
}

/** A command whose bytes are ready: ioredis only sends them and parses the reply. */
class EncodedCommand extends Command {
  constructor(private readonly bytes: Buffer) {
    super('evalsha', []);
  }

  override toWritable(): Buffer {
    return this.bytes;
  }
}

function isNoScript(err: unknown): boolean {
  return err instanceof Error && err.message.startsWith('NOSCRIPT');
}

/**
 * Calls a Lua script by EVALSHA with its command bytes written straight into
 * one buffer; a Redis that does not know the script yet (first call, restart,
 * SCRIPT FLUSH) gets it by SCRIPT LOAD and the call is sent again.
 *
 * Why: for calls with thousands of arguments (ingest's enqueue, the consumer's
 * status scripts) ioredis copies the argument list, builds the command as a
 * string of `$<length>\r\n<argument>\r\n` pieces, flattens it and encodes it
 * again for the socket. The enqueue of 1,000-task batches took 6.5 / 5.8 µs of
 * Node CPU per task that way, 5.1 / 4.8 this way (libs/queue/bench/status-scripts.js,
 * docs/performance.md).
 */
export function encodedScript(redis: Redis, lua: string, numberOfKeys: number): EncodedScriptCall {
  const sha = createHash('sha1').update(lua).digest('hex');
  const send = (bytes: Buffer) => redis.sendCommand(new EncodedCommand(bytes)) as Promise<unknown>;
  return async (...args) => {
    // One array argument is used as it is: no copy of a 60,000-element list.
    const flat = args.length === 1 && Array.isArray(args[0]) ? args[0] : args.flat();
    const bytes = encodeEvalsha(sha, numberOfKeys, flat);
    try {
      return await send(bytes);
    } catch (err) {
      if (!isNoScript(err)) throw err;
      await redis.script('LOAD', lua);
      return send(bytes);
    }
  };
}
