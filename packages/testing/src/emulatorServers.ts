import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Server as NetServer, Socket } from 'node:net';
import { createServer as createPolyglotServer } from '@httptoolkit/httpolyglot';
import { handleDataPlane } from './dataPlaneHandler.js';
import { handleDeveloperToken } from './developerCli.js';
import type { EmulatorOptions } from './emulatorApi.js';
import type { EmulatorState } from './emulatorState.js';
import { handleEntra } from './entraHandler.js';
import { gatewayHandler } from './gatewayHandler.js';
import { handleManagedIdentity } from './managedIdentityHandler.js';
import { realtimeUpgradeHandler } from './realtimeApi.js';

/** The emulator's three listening servers. */
export interface EmulatorServers {
  /** Data plane, managed identity and the developer CLI's token route (HTTP and HTTPS on one port). */
  port: number;
  /** The Entra ID authority (HTTPS). */
  authorityPort: number;
  /** The API Management gateway in front of the data plane (HTTP). */
  gatewayPort: number;
  /** Ends every connection and closes the servers. */
  close(): Promise<void>;
}

/** Starts the servers over `state` on 127.0.0.1 (the ports asked for, or free ones). */
export async function startServers(
  state: EmulatorState,
  tls: { key: string; cert: string },
  options: Pick<EmulatorOptions, 'port' | 'authorityPort'>,
): Promise<EmulatorServers> {
  const guard =
    (handler: (req: IncomingMessage, res: ServerResponse) => Promise<unknown>) =>
    (req: IncomingMessage, res: ServerResponse) => {
      handler(req, res).catch(() => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end('{"error":{"code":"InternalServerError","message":"emulator error"}}');
        } else res.destroy();
      });
    };
  // The data plane's port speaks HTTP and HTTPS (the first byte tells them apart): the openai
  // SDK always opens the Realtime WebSocket with wss://, on the port of the client's base URL.
  const http = createPolyglotServer(
    { tls: { key: tls.key, cert: tls.cert } },
    guard(async (req, res) => {
      if (await handleManagedIdentity(state, req, res)) return;
      if (await handleDeveloperToken(state, req, res)) return;
      await handleDataPlane(state, req, res);
    }),
  );
  http.on('upgrade', realtimeUpgradeHandler(state));
  const sockets = trackSockets(http);
  const https = createHttpsServer(
    { key: tls.key, cert: tls.cert },
    guard((req, res) => handleEntra(state, req, res)),
  );
  let port = 0;
  const gateway = createHttpServer(guard(gatewayHandler(state, () => port)));
  const gatewaySockets = trackSockets(gateway);
  port = await listen(http, options.port);
  const authorityPort = await listen(https, options.authorityPort);
  const gatewayPort = await listen(gateway);
  return {
    port,
    authorityPort,
    gatewayPort,
    async close() {
      for (const socket of [...sockets, ...gatewaySockets]) socket.destroy();
      https.closeAllConnections();
      await Promise.all([http, https, gateway].map((server) => new Promise((r) => server.close(r))));
    },
  };
}

/** Every open connection of a server, so that close() can end them (keep-alive, WebSockets). */
function trackSockets(server: NetServer): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return sockets;
}

function listen(server: NetServer, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host: '127.0.0.1', backlog: 4096 }, () => resolve((server.address() as AddressInfo).port));
  });
}
