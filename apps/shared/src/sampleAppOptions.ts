import type { RequestAuth } from '@keyless/core';

/** What every sample app's body takes: where to call, with which credentials, and where to print. */
export interface SampleAppOptions {
  auth: RequestAuth;
  endpoint: string;
  deployment: string;
  embeddingsDeployment: string;
  apiVersion: string;
  /** Where to write what the user sees. */
  write: (text: string) => void;
}
