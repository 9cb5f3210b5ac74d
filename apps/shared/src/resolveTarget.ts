import { type Auth, authFromEnv } from '@keyless/core';
import { resolveSettings } from '@keyless/core/adapter';
import { type Emulator, startEmulator } from '@keyless/testing';
import type { SampleAppOptions } from './sampleAppOptions.js';

/** Where a sample app sends its requests, and with which credentials. */
export interface Target {
  auth: Auth;
  endpoint: string;
  deployment: string;
  embeddingsDeployment: string;
  apiVersion: string;
  /** See {@link SampleAppOptions.realtime}. */
  realtime: { deployment: string; ca?: string | undefined } | undefined;
  /** The embedded emulator's CA certificate (PEM), to trust in-process; undefined on Azure. */
  ca: string | undefined;
  /** 'azure' when AZURE_OPENAI_ENDPOINT was set, 'emulator' when the embedded emulator was started. */
  mode: 'azure' | 'emulator';
  /** The embedded emulator, when one was started (`--emulator`): samples read their own settings from it. */
  emulator: Emulator | undefined;
  close(): Promise<void>;
}

/** Options of {@link resolveTarget}. */
export interface ResolveTargetOptions {
  /**
   * Start an embedded emulator when AZURE_OPENAI_ENDPOINT is not set (the `--emulator` flag).
   * Never implicit: a service that silently answered from an emulator would look healthy.
   */
  emulator?: boolean | undefined;
}

/**
 * Real Azure OpenAI at `AZURE_OPENAI_ENDPOINT` (credentials from the usual variables, through
 * authFromEnv). Without it: an embedded emulator, reached with managed identity the way a service
 * on App Service would, only when asked for (`--emulator`); otherwise a clear error.
 */
export async function resolveTarget(
  env: NodeJS.ProcessEnv = process.env,
  options: ResolveTargetOptions = {},
): Promise<Target> {
  let emulator: Emulator | undefined;
  if (!env.AZURE_OPENAI_ENDPOINT?.trim()) {
    if (options.emulator !== true) {
      throw new Error(
        'AZURE_OPENAI_ENDPOINT is not set. Set it to your resource endpoint (https://<resource>.openai.azure.com) with the credential variables README.md lists, or pass --emulator to run against the embedded emulator.',
      );
    }
    emulator = await startEmulator();
    Object.assign(env, emulator.env('managedIdentity'));
  }
  // One resolution of the environment: the strategy, and the target by the adapters' own rules.
  const settings = resolveSettings(env);
  return {
    auth: authFromEnv({ env }),
    endpoint: settings.endpoint ?? '',
    deployment: settings.deployment ?? 'gpt-4o-mini',
    embeddingsDeployment: settings.embeddingsDeployment ?? 'text-embedding-3-small',
    apiVersion: settings.apiVersion ?? '2024-10-21',
    realtime: env.AZURE_OPENAI_REALTIME_DEPLOYMENT?.trim()
      ? { deployment: env.AZURE_OPENAI_REALTIME_DEPLOYMENT.trim(), ca: emulator?.caCertificate }
      : undefined,
    ca: emulator?.caCertificate,
    mode: emulator === undefined ? 'azure' : 'emulator',
    emulator,
    close: async () => emulator?.close(),
  };
}
