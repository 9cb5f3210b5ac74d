import { b as EmulatorOptions, E as Emulator } from './emulatorApi-BKYX_Oi5.js';
export { c as EMULATOR_ENV_KINDS, d as EmulatorCounters, a as EmulatorEnvKind, e as ExpiresOnFormat, F as Fault, f as FaultScript, g as FaultTarget, h as FederatedCredential, R as RequestLogEntry, S as SignInOptions, i as SignedInUser, T as TOKEN_EXCHANGE_AUDIENCE, j as TokenSettings } from './emulatorApi-BKYX_Oi5.js';
export { M as ManualClock, f as flushPromises } from './manualClock-DMvvQpXj.js';
import { IncomingHttpHeaders } from 'node:http';

/** A PEM key pair with its certificate. */
interface CertificateMaterial {
    /** PEM private key (PKCS#8). */
    key: string;
    /** PEM certificate. */
    cert: string;
    /** SHA-256 thumbprint, lowercase hex without colons. */
    thumbprintSha256: string;
}
/** A self-signed TLS certificate for 127.0.0.1 and localhost, valid for a day. */
declare function createServerCertificate(): Promise<CertificateMaterial>;

/**
 * Starts a local Entra ID + managed identity + Azure OpenAI emulator on 127.0.0.1, speaking the
 * real wire protocols so that the real `@azure/identity`, `@azure/msal-node`, `openai` and
 * `@langchain/openai` can be tested against it.
 */
declare function startEmulator(options?: EmulatorOptions): Promise<Emulator>;

/** The deterministic answer: the last user message, echoed. */
declare function answerFor(messages: unknown): string;
/** A deterministic unit vector for a text: equal texts embed equally, similar texts nearby. */
declare function embed(text: string, dimensions?: number): number[];

/**
 * A fetch that lets at most `limit` requests onto the network at once, as a production agent's
 * connection pool would. Herds of thousands of concurrent requests still reach the code under
 * test all at once; only the sockets are pooled, so loopback listen backlogs do not overflow.
 */
declare function limitConcurrency(limit: number, base?: typeof fetch): typeof fetch;

/** What a recording server received. */
interface RecordedRequest {
    method: string;
    path: string;
    headers: IncomingHttpHeaders;
    body: string;
}
/** A loopback server that answers 200 to everything and records it all, headers included. */
interface RecordingServer {
    readonly url: string;
    readonly requests: readonly RecordedRequest[];
    /** Every byte received (request lines, headers, bodies), for canary searches. */
    text(): string;
    close(): Promise<void>;
}
/**
 * Starts a server on another loopback port that records what reaches it: point a redirect at it
 * and assert that no credential arrived.
 */
declare function startRecordingServer(): Promise<RecordingServer>;

/**
 * A real redis-server (the Debian package, or any on PATH) on a free loopback port, persistence
 * off, for tests of a shared token cache: `kill()` crashes it, `restart()` brings it back empty.
 */
interface RedisServer {
    /** `redis://127.0.0.1:<port>`, or `rediss://:<password>@…` with `tls` and a password. */
    readonly url: string;
    /** With `tls`: the CA certificate (PEM) that signed the server's certificate. */
    readonly ca: string | undefined;
    readonly port: number;
    /** Kills it with SIGKILL, as a crash would. */
    kill(): Promise<void>;
    /** Starts it again on the same port, empty. */
    restart(): Promise<void>;
    close(): Promise<void>;
}
/** Options of {@link startRedisServer}. */
interface RedisServerOptions {
    /** TLS only (`rediss://`), with a certificate made now, as Azure Cache for Redis on port 6380. */
    tls?: boolean | undefined;
    /** A password clients must give (`requirepass`), as an access key. */
    password?: string | undefined;
}
/** Starts redis-server; rejects with a clear message when it is not installed. */
declare function startRedisServer(options?: RedisServerOptions): Promise<RedisServer>;

/** A TCP relay on 127.0.0.1 in front of another server; see {@link startTcpRelay}. */
interface TcpRelay {
    /** The relay's port: point the client here instead of at the target. */
    readonly port: number;
    /** Connections accepted so far. */
    readonly connections: number;
    /** Closes the relay and every connection through it. */
    close(): Promise<void>;
}
/** Options of {@link startTcpRelay}. */
interface TcpRelayOptions {
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
declare function startTcpRelay(options: TcpRelayOptions): Promise<TcpRelay>;

export { type CertificateMaterial, Emulator, EmulatorOptions, type RecordedRequest, type RecordingServer, type RedisServer, type TcpRelay, type TcpRelayOptions, answerFor, createServerCertificate, embed, limitConcurrency, startEmulator, startRecordingServer, startRedisServer, startTcpRelay };
