export { type CertificateMaterial, createServerCertificate } from './certificates.js';
export { answerFor, embed } from './dataPlaneHandler.js';
export type { EmulatorCounters, ExpiresOnFormat, RequestLogEntry, TokenSettings } from './emulatorState.js';
export type { Fault, FaultScript, FaultTarget } from './faults.js';
export { type FederatedCredential, TOKEN_EXCHANGE_AUDIENCE } from './federation.js';
export { limitConcurrency } from './limitConcurrency.js';
export { flushPromises, ManualClock } from './manualClock.js';
export {
  EMULATOR_ENV_KINDS,
  type Emulator,
  type EmulatorEnvKind,
  type EmulatorOptions,
  type SignedInUser,
  type SignInOptions,
  startEmulator,
} from './startEmulator.js';
export { type RecordedRequest, type RecordingServer, startRecordingServer } from './startRecordingServer.js';
export { type RedisServer, startRedisServer } from './startRedisServer.js';
export { startTcpRelay, type TcpRelay, type TcpRelayOptions } from './startTcpRelay.js';
