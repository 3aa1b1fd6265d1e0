// The SIP2 TCP server: frames each connection's bytes into messages (CR, CR LF or a stray LF),
// answers them one after the other through that connection's Sip2Session, and keeps what the
// floor sends from hurting anyone else: a message longer than MAX_MESSAGE_BYTES without a line
// end closes its connection, a connection silent for the idle timeout is closed, connections past
// the limit are refused at once, and a client that disconnects mid-message loses only its own
// half message. The desk shares the process: every request is a short synchronous service call
// (or scrypt on the thread pool), so a burst of SIP2 traffic interleaves with the desk's requests.
import { createServer, type Server, type Socket } from 'node:net';
import type { StationServices } from '../../station/services';
import { Sip2Session, type Translators } from './session';

export interface Sip2ServerOptions {
  /** Close a connection that has sent nothing for this long (ms). Self-checks send 99 every minute or so. */
  idleTimeoutMs?: number;
  /** Connections open at once; the next is closed at once. */
  maxConnections?: number;
  /** A message longer than this without a line end is not SIP2: its connection is closed. */
  maxMessageBytes?: number;
}

export const DEFAULT_IDLE_TIMEOUT_MS = 10 * 60_000;
export const DEFAULT_MAX_CONNECTIONS = 500;
export const MAX_MESSAGE_BYTES = 64 * 1024;
/** Messages read but not yet answered on one connection; past this the station stops reading it. */
export const MAX_QUEUED_MESSAGES = 256;
/** Answer bytes a client has not taken yet; past this the station answers no more until it reads them. */
export const MAX_UNREAD_BYTES = 256 * 1024;
/** Messages answered in a row before the connection lets other work run. */
const YIELD_EVERY = 32;

export interface Sip2Server {
  server: Server;
  connections(): number;
  close(): Promise<void>;
}

export function createSip2Server(
  services: StationServices,
  translators: Translators,
  options: Sip2ServerOptions = {},
): Sip2Server {
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  const maxBytes = options.maxMessageBytes ?? MAX_MESSAGE_BYTES;
  const sockets = new Set<Socket>();

  const server = createServer((socket) => {
    if (sockets.size >= maxConnections) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.setTimeout(idleTimeoutMs, () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
    // A reset or a half-closed peer: nothing to answer, nothing to log.
    socket.on('error', () => socket.destroy());
    serveConnection(
      socket,
      new Sip2Session(services, translators, socket.remoteAddress),
      () => services.ctx.store.durable(),
      maxBytes,
    );
  });
  // Beyond what the server itself caps, the OS backlog holds the rest briefly.
  server.maxConnections = maxConnections + 16;

  return {
    server,
    connections: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Resolves when the client has taken the answers written so far, or is gone. */
function answersTaken(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.on('drain', done);
    socket.on('close', done);
  });
}

/**
 * Reads messages off one socket and answers each in order; the next waits for the one before.
 * A client that sends without reading the answers is slowed to its own pace, not buffered for:
 * past MAX_QUEUED_MESSAGES waiting the socket is no longer read (TCP makes the client wait), and
 * past MAX_UNREAD_BYTES of answers it has not taken nothing more is answered until it takes them.
 * A client that never reads is then silent, and the idle timeout closes it.
 */
function serveConnection(socket: Socket, session: Sip2Session, durable: () => Promise<void>, maxBytes: number): void {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const queue: string[] = [];
  let busy = false;

  const drain = async () => {
    if (busy) return;
    busy = true;
    try {
      let inARow = 0;
      while (queue.length > 0 && !socket.destroyed) {
        // A long burst lets the rest of the station (the desk, other self-checks) in between:
        // answering is mostly synchronous, and would otherwise hold the event loop to the end.
        if (++inARow % YIELD_EVERY === 0) await new Promise<void>((resolve) => setImmediate(resolve));
        const line = queue.shift() as string;
        const response = await session.handle(line);
        // Answered only once what it did is on the disk (src/store/durability.ts): the flush is
        // shared by every connection that committed meanwhile. A flush that fails answers
        // nothing: the self-check times out and asks again, and the desk sees what happened.
        await durable();
        if (response !== null && !socket.destroyed) socket.write(response, 'utf8');
        if (socket.writableLength > MAX_UNREAD_BYTES && !socket.destroyed) await answersTaken(socket);
        if (socket.isPaused() && queue.length < MAX_QUEUED_MESSAGES / 2 && !socket.destroyed) socket.resume();
      }
    } finally {
      busy = false;
    }
  };

  socket.on('data', (chunk: Buffer) => {
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (byte !== 0x0d && byte !== 0x0a) continue;
      const piece = chunk.subarray(start, i);
      start = i + 1;
      const whole = pending.length > 0 ? Buffer.concat([...pending, piece]) : piece;
      pending = [];
      pendingBytes = 0;
      // CR LF, or a stray LF before a message: the empty line between is skipped.
      if (whole.length === 0) continue;
      queue.push(whole.toString('utf8'));
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      pendingBytes += rest.length;
      if (pendingBytes > maxBytes) {
        // No line end in sight: not a SIP2 client. Its connection goes; nobody else notices.
        socket.destroy();
        return;
      }
      pending.push(Buffer.from(rest));
    }
    if (queue.length >= MAX_QUEUED_MESSAGES) socket.pause();
    void drain().catch((error: unknown) => {
      console.error('sip2: a connection failed', error instanceof Error ? error.message : String(error));
      socket.destroy();
    });
  });
}
