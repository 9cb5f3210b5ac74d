import { type Auth, authFromEnv } from '@keyless/core';
import { type Emulator, startEmulator } from '@keyless/testing';

/** Where a sample app sends its requests, and with which credentials. */
export interface Target {
  auth: Auth;
  endpoint: string;
  deployment: string;
  embeddingsDeployment: string;
  apiVersion: string;
  /** 'azure' when AZURE_OPENAI_ENDPOINT was set, 'emulator' when the embedded emulator was started. */
  mode: 'azure' | 'emulator';
  close(): Promise<void>;
}

/**
 * Real Azure OpenAI when `AZURE_OPENAI_ENDPOINT` is set (credentials from the usual variables,
 * through authFromEnv); otherwise an embedded emulator, reached with managed identity the way a
 * service on App Service would.
 */
export async function resolveTarget(env: NodeJS.ProcessEnv = process.env): Promise<Target> {
  let emulator: Emulator | undefined;
  if (!env.AZURE_OPENAI_ENDPOINT) {
    emulator = await startEmulator();
    Object.assign(env, emulator.env('managedIdentity'));
  }
  return {
    auth: authFromEnv(env),
    endpoint: env.AZURE_OPENAI_ENDPOINT ?? '',
    deployment: env.AZURE_OPENAI_DEPLOYMENT ?? env.AZURE_OPENAI_API_DEPLOYMENT_NAME ?? 'gpt-4o-mini',
    embeddingsDeployment:
      env.AZURE_OPENAI_EMBEDDINGS_DEPLOYMENT ??
      env.AZURE_OPENAI_API_EMBEDDINGS_DEPLOYMENT_NAME ??
      'text-embedding-3-small',
    apiVersion: env.OPENAI_API_VERSION ?? env.AZURE_OPENAI_API_VERSION ?? '2024-10-21',
    mode: emulator === undefined ? 'azure' : 'emulator',
    close: async () => emulator?.close(),
  };
}
