import { delimiter } from 'node:path';
import type { EmulatorEnvKind } from './emulatorApi.js';
import { APP_SERVICE_PATH } from './managedIdentityHandler.js';

/** What the recipes are made of: the emulator's addresses, files and credentials. */
export interface EnvParts {
  openaiEndpoint: string;
  authorityHost: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  clientCertificatePath: string;
  caCertificatePath: string;
  apiKey: string;
  identityHeader: string;
  developerCliPath: string;
  githubRequestUrl: string;
  federation: { tokenFile: string; githubRequestToken: string };
  deployments: { chat: string; embeddings: string };
  apiVersion: string;
  /** The Foundry project's path on the endpoint, `/api/projects/<name>`. */
  foundryProjectPath: string;
}

/**
 * The variables each kind of caller has where it runs (App Service's, AKS workload identity's, a
 * GitHub Actions job's, a developer's machine…), pointed at the emulator: `emulator.env(kind)`.
 */
export function envRecipes(parts: EnvParts): (kind: EmulatorEnvKind) => Record<string, string> {
  const common = {
    AZURE_OPENAI_ENDPOINT: parts.openaiEndpoint,
    AZURE_OPENAI_DEPLOYMENT: parts.deployments.chat,
    AZURE_OPENAI_API_DEPLOYMENT_NAME: parts.deployments.chat,
    AZURE_OPENAI_EMBEDDINGS_DEPLOYMENT: parts.deployments.embeddings,
    AZURE_OPENAI_API_EMBEDDINGS_DEPLOYMENT_NAME: parts.deployments.embeddings,
    OPENAI_API_VERSION: parts.apiVersion,
    AZURE_OPENAI_API_VERSION: parts.apiVersion,
    // The chat deployment also serves Realtime here; its wss:// handshake needs the emulator's CA.
    AZURE_OPENAI_REALTIME_DEPLOYMENT: parts.deployments.chat,
    NODE_EXTRA_CA_CERTS: parts.caCertificatePath,
  };
  const entra = {
    AZURE_TENANT_ID: parts.tenantId,
    AZURE_CLIENT_ID: parts.clientId,
    AZURE_AUTHORITY_HOST: parts.authorityHost,
    NODE_EXTRA_CA_CERTS: parts.caCertificatePath,
    KEYLESS_STRATEGY: 'msalConfidentialClient',
  };
  const federated = {
    AZURE_TENANT_ID: parts.tenantId,
    AZURE_CLIENT_ID: parts.clientId,
    AZURE_AUTHORITY_HOST: parts.authorityHost,
    NODE_EXTRA_CA_CERTS: parts.caCertificatePath,
  };
  const appService = {
    IDENTITY_ENDPOINT: `${parts.openaiEndpoint}${APP_SERVICE_PATH}`,
    IDENTITY_HEADER: parts.identityHeader,
  };

  return (kind) => {
    switch (kind) {
      case 'apiKey':
        return { ...common, AZURE_OPENAI_API_KEY: parts.apiKey, KEYLESS_STRATEGY: 'apiKey' };
      case 'managedIdentity':
        return { ...common, ...appService, KEYLESS_STRATEGY: 'managedIdentity' };
      case 'imds':
        return {
          ...common,
          AZURE_POD_IDENTITY_AUTHORITY_HOST: parts.openaiEndpoint,
          KEYLESS_STRATEGY: 'managedIdentity',
        };
      case 'msalSecret':
        return { ...common, ...entra, AZURE_CLIENT_SECRET: parts.clientSecret };
      case 'foundryProject':
        return {
          ...common,
          ...entra,
          AZURE_CLIENT_SECRET: parts.clientSecret,
          AZURE_OPENAI_ENDPOINT: `${parts.openaiEndpoint}${parts.foundryProjectPath}`,
        };
      case 'developerCli':
        return {
          ...common,
          KEYLESS_STRATEGY: 'default',
          AZURE_TOKEN_CREDENTIALS: 'dev',
          PATH: `${parts.developerCliPath}${delimiter}${process.env.PATH ?? ''}`,
        };
      case 'msalCertificate':
        return { ...common, ...entra, AZURE_CLIENT_CERTIFICATE_PATH: parts.clientCertificatePath };
      case 'default':
        // DefaultAzureCredential walks its chain to managed identity (App Service protocol).
        return { ...common, ...appService, KEYLESS_STRATEGY: 'default' };
      case 'workloadIdentity':
        // What the AKS workload identity webhook injects; nothing tells keyless the strategy.
        return { ...common, ...federated, AZURE_FEDERATED_TOKEN_FILE: parts.federation.tokenFile };
      case 'githubActions':
        // What a GitHub Actions job with `permissions: id-token: write` has, plus the app's ids.
        return {
          ...common,
          ...federated,
          ACTIONS_ID_TOKEN_REQUEST_URL: parts.githubRequestUrl,
          ACTIONS_ID_TOKEN_REQUEST_TOKEN: parts.federation.githubRequestToken,
        };
      default:
        throw new Error(
          `emulator.env: unknown kind ${JSON.stringify(String(kind))}. Use one of apiKey, managedIdentity, imds, msalSecret, msalCertificate, default, workloadIdentity or githubActions.`,
        );
    }
  };
}
