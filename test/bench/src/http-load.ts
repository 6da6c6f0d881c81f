import { connect, type Socket } from 'node:net';

export interface PostResult {
  status: number;
  body: string;
  latencyInMs: number;
}

interface Exchange {
  request: Buffer;
  started: number;
  resolve: (result: PostResult) => void;
  reject: (err: Error) => void;
}

const HEAD_END = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /\r\ncontent-length:[ \t]*(\d+)/i;
const CONNECTION_CLOSE = /\r\nconnection:[ \t]*close/i;

/**
 * One keep-alive socket, one request at a time. It reads only what the bench needs from a
 * response (status, content-length, body), so the load generator, which shares the cores with
 * what it measures, spends little of them: 27–33 µs of CPU per single-task request here, where
 * Node's http client spent 73–88, as much as ingest spent answering it.
 */
class Connection {
  private readonly socket: Socket;
  private chunks: Buffer[] = [];
  private received = 0;
  /** Bytes of head + body once the head is read; -1 before. */
  private responseBytes = -1;
  private headBytes = 0;
  private status = 0;
  private closeAfter = false;
  private exchange: Exchange | undefined;
  private closed = false;

  constructor(host: string, port: number, private readonly onFree: (connection: Connection) => void, private readonly onClosed: (connection: Connection) => void) {
    this.socket = connect({ host, port, noDelay: true });
    this.socket.on('data', (chunk: Buffer) => this.read(chunk));
    this.socket.on('error', (err) => this.close(err));
    this.socket.on('close', () => this.close(new Error('the server closed the connection before answering')));
  }

  send(exchange: Exchange): void {
    this.exchange = exchange;
    this.socket.write(exchange.request);
  }

  close(err: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.destroy();
    const exchange = this.exchange;
    this.exchange = undefined;
    exchange?.reject(err);
    this.onClosed(this);
  }

  private read(chunk: Buffer): void {
    // Bytes with no request in flight would be taken for the next request's answer.
    if (!this.exchange) return this.close(new Error('the server sent bytes with no request in flight'));
    this.chunks.push(chunk);
    this.received += chunk.length;
    if (this.responseBytes < 0 && !this.readHead()) return;
    if (this.received < this.responseBytes) return;
    if (this.received > this.responseBytes) return this.close(new Error('bytes after the response: the bench client sends one request at a time'));
    const data = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    const exchange = this.exchange;
    this.chunks = [];
    this.received = 0;
    this.responseBytes = -1;
    this.exchange = undefined;
    exchange.resolve({ status: this.status, body: data.toString('utf8', this.headBytes), latencyInMs: performance.now() - exchange.started });
    if (this.closeAfter) this.close(new Error('connection closed by the server'));
    else this.onFree(this);
  }

  /** Parses the status line and headers once all of them arrived; false while they have not. */
  private readHead(): boolean {
    const data = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    this.chunks = [data];
    const end = data.indexOf(HEAD_END);
    if (end < 0) return false;
    const head = data.toString('latin1', 0, end);
    const length = CONTENT_LENGTH.exec(head);
    if (!length) {
      this.close(new Error(`response without content-length: ${head.split('\r\n')[0]}`));
      return false;
    }
    this.status = Number(head.slice(9, 12));
    this.headBytes = end + HEAD_END.length;
    this.responseBytes = this.headBytes + Number(length[1]);
    this.closeAfter = CONNECTION_CLOSE.test(head);
    return true;
  }
}

/** A keep-alive HTTP/1.1 client for the bench's POSTs, up to `maxSockets` requests in flight; more wait in order. */
export function createPoster(baseUrl: string, maxSockets: number) {
  const url = new URL(baseUrl);
  const port = Number(url.port || 80);
  const idle: Connection[] = [];
  const open = new Set<Connection>();
  const waiting: Exchange[] = [];
  let last: { path: string; body: string; request: Buffer } | undefined;
  let closing = false;

  const dispatch = (connection: Connection) => {
    const next = waiting.shift();
    if (next) connection.send(next);
    else idle.push(connection);
  };
  const dropped = (connection: Connection) => {
    open.delete(connection);
    const at = idle.indexOf(connection);
    if (at >= 0) idle.splice(at, 1);
    if (!closing && waiting.length && open.size < maxSockets) start().send(waiting.shift()!);
  };
  const start = () => {
    const connection = new Connection(url.hostname, port, dispatch, dropped);
    open.add(connection);
    return connection;
  };
  // The bench posts one body over and over: its bytes are built once, not per request.
  const requestFor = (path: string, body: string) => {
    if (last?.path !== path || last.body !== body) {
      const head = `POST ${path} HTTP/1.1\r\nhost: ${url.host}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n`;
      last = { path, body, request: Buffer.from(head + body) };
    }
    return last.request;
  };

  return {
    post(path: string, body: string): Promise<PostResult> {
      return new Promise((resolve, reject) => {
        const exchange: Exchange = { request: requestFor(path, body), started: performance.now(), resolve, reject };
        const connection = idle.pop() ?? (open.size < maxSockets ? start() : undefined);
        if (connection) connection.send(exchange);
        else waiting.push(exchange);
      });
    },
    close: () => {
      closing = true;
      for (const exchange of waiting.splice(0)) exchange.reject(new Error('client closed'));
      for (const connection of [...open]) connection.close(new Error('client closed'));
    },
  };
}
