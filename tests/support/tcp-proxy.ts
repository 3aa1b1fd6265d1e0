// A real TCP proxy for tests, between a client (a station) and a server (the hub), that can misbehave
// the way networks do: cut a connection after the request went through and before the answer
// comes back, delay traffic, send every request twice, or refuse connections.
//
//   const proxy = await startTcpProxy({ port: hubPort });
//   proxy.fault({ kind: 'cut-before-answer' }, 1);   // the next connection only
//   await fetch(proxy.url('/sync/push'), ...)        // rejects, yet the hub received the request
import net from 'node:net';

export type Fault =
  | { kind: 'none' }
  /** The request reaches the server; when its answer starts, both sockets are destroyed. */
  | { kind: 'cut-before-answer' }
  /** Every chunk, both ways, waits this long. */
  | { kind: 'delay'; ms: number }
  /** The client's bytes also go to the server over a second connection, whose answer is dropped. */
  | { kind: 'duplicate' }
  /** New connections are closed at once. */
  | { kind: 'refuse' };

export interface TcpProxy {
  port: number;
  url(path?: string, scheme?: 'http' | 'https'): string;
  /** Sets the fault for new connections; with `times`, only the next `times` connections get it. */
  fault(fault: Fault, times?: number): void;
  /** What happened so far, for assertions. */
  stats: { connections: number; cuts: number; duplicates: number; refused: number };
  /** Resolves once a connection has been cut before its answer. */
  nextCut(): Promise<void>;
  /**
   * Destroys every open connection now. A client keeping connections alive (fetch does) would
   * otherwise carry on over an old connection that a new fault never touches.
   */
  dropAll(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(
  target: { port: number; host?: string },
  listenHost = '127.0.0.1',
): Promise<TcpProxy> {
  const host = target.host ?? '127.0.0.1';
  let current: Fault = { kind: 'none' };
  let remaining = Infinity;
  const sockets = new Set<net.Socket>();
  const stats = { connections: 0, cuts: 0, duplicates: 0, refused: 0 };
  let cutWaiters: (() => void)[] = [];

  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
    return s;
  };

  const takeFault = (): Fault => {
    if (remaining <= 0) return { kind: 'none' };
    remaining -= 1;
    const f = current;
    if (remaining <= 0) current = { kind: 'none' };
    return f;
  };

  const server = net.createServer((client) => {
    track(client);
    stats.connections += 1;
    const fault = takeFault();
    if (fault.kind === 'refuse') {
      stats.refused += 1;
      client.destroy();
      return;
    }
    client.pause();
    const upstream = track(net.connect({ port: target.port, host }));
    const later = (fn: () => void) => (fault.kind === 'delay' ? setTimeout(fn, fault.ms) : fn());
    let twin: net.Socket | null = null;
    if (fault.kind === 'duplicate') {
      stats.duplicates += 1;
      twin = track(net.connect({ port: target.port, host }));
      twin.on('data', () => undefined); // its answer goes nowhere
    }
    upstream.on('connect', () => client.resume());
    client.on('data', (chunk) =>
      later(() => {
        if (!upstream.destroyed) upstream.write(chunk);
        if (twin && !twin.destroyed) twin.write(chunk);
      }),
    );
    client.on('end', () => later(() => upstream.end()));
    upstream.on('data', (chunk) => {
      if (fault.kind === 'cut-before-answer') {
        stats.cuts += 1;
        upstream.destroy();
        client.resetAndDestroy();
        const waiters = cutWaiters;
        cutWaiters = [];
        for (const w of waiters) w();
        return;
      }
      later(() => {
        if (!client.destroyed) client.write(chunk);
      });
    });
    upstream.on('end', () => later(() => client.end()));
    upstream.on('close', () => later(() => client.destroy()));
    client.on('close', () => {
      upstream.destroy();
      // The twin may still be sending its copy: let it finish on its own.
      twin?.end();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, listenHost, () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;

  return {
    port,
    url: (path = '', scheme = 'http') => `${scheme}://${listenHost}:${port}${path}`,
    fault(fault, times = Infinity) {
      current = fault;
      remaining = fault.kind === 'none' ? 0 : times;
    },
    stats,
    nextCut: () => new Promise<void>((resolve) => cutWaiters.push(resolve)),
    dropAll() {
      for (const s of sockets) s.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
