import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CertificateMaterial, createClientCertificate, createServerCertificate } from './certificates.js';
import { DEVELOPER_TOKEN_PATH, writeDeveloperCli } from './developerCli.js';
import type { Emulator, EmulatorOptions, SignInOptions } from './emulatorApi.js';
import { startServers } from './emulatorServers.js';
import { GITHUB_TOKEN_PATH } from './entraHandler.js';
import { envRecipes } from './envRecipes.js';
import { createFederation, rotateTokenFile } from './federation.js';
import { GATEWAY_AUDIENCE } from './gatewayHandler.js';
import { APP_SERVICE_PATH } from './managedIdentityHandler.js';
import {
  API_APP_ROLE,
  EMULATOR_API_VERSION,
  EMULATOR_DEPLOYMENTS,
  emptyCounters,
  newEmulatorState,
} from './newEmulatorState.js';
import { TokenIssuer } from './tokenIssuer.js';

export type { Emulator, EmulatorEnvKind, EmulatorOptions, SignedInUser, SignInOptions } from './emulatorApi.js';
export { EMULATOR_ENV_KINDS } from './emulatorApi.js';

const USER_SCOPE = 'access_as_user';
const FOUNDRY_PROJECT_PATH = '/api/projects/keyless-project';

/**
 * Starts a local Entra ID + managed identity + Azure OpenAI emulator on 127.0.0.1, speaking the
 * real wire protocols so that the real `@azure/identity`, `@azure/msal-node`, `openai` and
 * `@langchain/openai` can be tested against it.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const tenantId = randomUUID();
  const clock = options.clock;
  const now = clock === undefined ? () => Date.now() : () => clock.now();
  const [tls, clientCertificate, issuer] = await Promise.all([
    options.tls === undefined ? createServerCertificate() : Promise.resolve(options.tls as CertificateMaterial),
    createClientCertificate(),
    TokenIssuer.create(tenantId, now),
  ]);
  const state = newEmulatorState({ tenantId, issuer, clientCertificate, now, options });
  const clientId = state.client.clientId;
  const servers = await startServers(state, tls, options);
  const { port, gatewayPort } = servers;
  const openaiEndpoint = `http://127.0.0.1:${port}`;
  state.authorityHost = `https://127.0.0.1:${servers.authorityPort}`;

  const dir = await mkdtemp(join(tmpdir(), 'keyless-emulator-'));
  state.federation = await createFederation(state.authorityHost, join(dir, 'azure-identity-token'), now);
  await rotateTokenFile(state.federation);
  const federation = state.federation;
  const developerCliPath = await writeDeveloperCli(dir, `${openaiEndpoint}${DEVELOPER_TOKEN_PATH}`, tenantId);
  const caCertificatePath = join(dir, 'ca.pem');
  const clientCertificatePath = join(dir, 'client.pem');
  await writeFile(caCertificatePath, tls.cert);
  await writeFile(clientCertificatePath, `${clientCertificate.key}\n${clientCertificate.cert}`, { mode: 0o600 });

  const githubRequestUrl = `${state.authorityHost}${GITHUB_TOKEN_PATH}?api-version=2.0`;
  const env = envRecipes({
    openaiEndpoint,
    authorityHost: state.authorityHost,
    tenantId,
    clientId,
    clientSecret: state.client.clientSecret,
    clientCertificatePath,
    caCertificatePath,
    apiKey: state.apiKey,
    identityHeader: state.identityHeader,
    developerCliPath,
    githubRequestUrl,
    federation,
    deployments: { chat: EMULATOR_DEPLOYMENTS.chat, embeddings: EMULATOR_DEPLOYMENTS.embeddings },
    apiVersion: EMULATOR_API_VERSION,
    foundryProjectPath: FOUNDRY_PROJECT_PATH,
  });
  return {
    openaiEndpoint,
    foundryProjectEndpoint: `${openaiEndpoint}${FOUNDRY_PROJECT_PATH}`,
    developer: {
      oid: state.developer.principal.oid,
      upn: state.developer.principal.upn,
      cliPath: developerCliPath,
      get session() {
        return state.developer.session;
      },
      set session(value) {
        state.developer.session = value;
      },
    },
    gateway: {
      endpoint: `http://127.0.0.1:${gatewayPort}`,
      key: state.gatewayKey,
      scope: `${GATEWAY_AUDIENCE}/.default`,
    },
    apiKey: state.apiKey,
    deployments: { chat: EMULATOR_DEPLOYMENTS.chat, embeddings: EMULATOR_DEPLOYMENTS.embeddings },
    apiVersion: EMULATOR_API_VERSION,
    authorityHost: state.authorityHost,
    tenantId,
    caCertificate: tls.cert,
    caCertificatePath,
    client: {
      clientId,
      clientSecret: state.client.clientSecret,
      objectId: state.client.oid,
      appIdUri: state.client.appIdUri,
      userScope: `${state.client.appIdUri}/${USER_SCOPE}`,
      certificate: {
        privateKey: clientCertificate.key,
        certificate: clientCertificate.cert,
        thumbprintSha256: clientCertificate.thumbprintSha256,
        path: clientCertificatePath,
      },
    },
    managedIdentity: {
      endpoint: `${openaiEndpoint}${APP_SERVICE_PATH}`,
      header: state.identityHeader,
      imdsHost: openaiEndpoint,
      systemObjectId: state.systemIdentity.oid,
      userAssigned: {
        clientId: state.userIdentity.clientId,
        resourceId: state.userIdentity.resourceId,
        objectId: state.userIdentity.oid,
      },
    },
    federation: {
      kubernetes: {
        issuer: federation.kubernetes.url,
        subject: federation.kubernetesSubject,
        tokenFile: federation.tokenFile,
      },
      github: {
        issuer: federation.github.url,
        subject: federation.githubSubject,
        requestUrl: githubRequestUrl,
        requestToken: federation.githubRequestToken,
      },
      credentials: federation.credentials,
      settings: {
        get kubernetesLifetimeSeconds() {
          return federation.kubernetesLifetimeSeconds;
        },
        set kubernetesLifetimeSeconds(seconds: number) {
          federation.kubernetesLifetimeSeconds = seconds;
        },
        get githubLifetimeSeconds() {
          return federation.githubLifetimeSeconds;
        },
        set githubLifetimeSeconds(seconds: number) {
          federation.githubLifetimeSeconds = seconds;
        },
      },
      rotateTokenFile: (overrides) => rotateTokenFile(federation, overrides),
    },
    apiApp: { appId: state.apiApp.appId, appIdUri: state.apiApp.appIdUri, scope: `${state.apiApp.appIdUri}/.default` },
    issuer: issuer.issuer,
    jwksUri: `${state.authorityHost}/${tenantId}/discovery/v2.0/keys`,
    signInUser: async (name, signIn = {}) => {
      const oid = randomUUID();
      const upn = `${(name ?? `user-${state.users.size + 1}`).toLowerCase().replace(/[^a-z0-9.-]/g, '-')}@keyless.example`;
      state.users.set(oid, { oid, upn, consented: signIn.consented ?? true });
      const mintFor = (options: SignInOptions) => {
        if (options.consented !== undefined)
          (state.users.get(oid) as { consented: boolean }).consented = options.consented;
        return issuer.mint(
          { oid, upn, appId: randomUUID(), scp: USER_SCOPE },
          options.lifetimeSeconds ?? state.settings.lifetimeSeconds,
          state.client.appIdUri,
        );
      };
      return { oid, upn, token: await mintFor(signIn), signInAgain: (options = {}) => mintFor(options) };
    },
    grantAppRole: (oid, role = API_APP_ROLE) => {
      const held = state.apiApp.roles.get(oid) ?? new Set<string>();
      held.add(role);
      state.apiApp.roles.set(oid, held);
    },
    removeAppRole: (oid, role) => {
      if (role === undefined) state.apiApp.roles.delete(oid);
      else state.apiApp.roles.get(oid)?.delete(role);
    },
    settings: state.settings,
    faults: state.faults,
    counters: state.counters,
    log: state.log,
    env,
    grantRole: (oid, role = 'Cognitive Services OpenAI User') => {
      const held = state.roles.get(oid) ?? new Set<string>();
      held.add(role);
      state.roles.set(oid, held);
    },
    removeRole: (oid, role) => {
      if (role === undefined) state.roles.delete(oid);
      else state.roles.get(oid)?.delete(role);
    },
    revokeTokens: (token) => issuer.revoke(token),
    challengeTokens: (claims) => issuer.challenge(claims),
    setDeployment: (name, kind) =>
      kind === undefined ? state.deployments.delete(name) : state.deployments.set(name, kind),
    resetCounters() {
      Object.assign(state.counters, emptyCounters());
      state.log.length = 0;
    },
    async close() {
      await servers.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
