import type { Emulator } from '@keyless/testing';

/**
 * The summarizer's own settings against an emulator (who may call it: its app ID URI, tenant and
 * keys), beside the emulator's Azure variables. They belong to this sample, not to the emulator.
 */
export function summarizerEnvOf(emulator: Emulator): Record<string, string> {
  return {
    SUMMARIZER_AUDIENCE: emulator.apiApp.appIdUri,
    SUMMARIZER_TENANT_ID: emulator.tenantId,
    SUMMARIZER_JWKS_URI: emulator.jwksUri,
  };
}
