import { connect, createServer, type Socket } from 'node:net';

/** A TCP relay on 127.0.0.1 in front of another server; see {@link startTcpRelay}. */
export interface TcpRelay {
  /** The relay's port: point the client here instead of at the target. */
  readonly port: number;
  /** Connections accepted so far. */
  readonly connections: number;
  /** Closes the relay and every connection through it. */
  close(): Promise<void>;
}

/** Options of {@link startTcpRelay}. */
export interface TcpRelayOptions {
  /** The server behind the relay, on 127.0.0.1. */
  targetPort: number;
  /**
   * How long each new connection is held before the relay opens its own to the target and starts
   * passing bytes: a connection that is slow to set up, as TLS across a network is. Default 0.
   */
  connectDelayMs?: number | undefined;
}

/**
 * A relay that makes a local server look far away: every new connection waits `connectDelayMs`
 * before its first byte reaches the target, then bytes pass both ways unchanged. Commands on an
 * open connection are not slowed: only setting one up is.
 *
 * @example
 * const relay = await startTcpRelay({ targetPort: redis.port, connectDelayMs: 300 });
 * createRedisTokenStore({ url: `redis://127.0.0.1:${relay.port}`, encryptionKey });
 */
export async function startTcpRelay(options: TcpRelayOptions): Promise<TcpRelay> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server = createServer((client) => {
    connections += 1;
    track(client);
    client.pause();
    const timer = setTimeout(() => {
      if (client.destroyed) return;
      const upstream = connect(options.targetPort, '127.0.0.1');
      track(upstream);
      upstream.once('close', () => client.destroy());
      client.once('close', () => upstream.destroy());
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    }, options.connectDelayMs ?? 0);
    client.once('close', () => clearTimeout(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    get connections() {
      return connections;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
