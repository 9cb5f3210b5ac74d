import type { RequestAuth } from '@keyless/core/adapter';

/** What every sample app's body takes: where to call, with which credentials, and where to print. */
export interface SampleAppOptions {
  auth: RequestAuth;
  endpoint: string;
  deployment: string;
  embeddingsDeployment: string;
  apiVersion: string;
  /**
   * A Realtime-capable deployment (AZURE_OPENAI_REALTIME_DEPLOYMENT), and a CA to trust for its
   * wss:// handshake (the embedded emulator's). Absent: the apps skip their Realtime step.
   */
  realtime?: { deployment: string; ca?: string | undefined } | undefined;
  /** Where to write what the user sees. */
  write: (text: string) => void;
}
