import type { TokenCredential } from './tokenCredential.js';

/**
 * Where credentials come from: a discriminated union on `kind`. Options that cannot be combined
 * are blocked in the types (`?: never`) and again at runtime with a message naming both.
 */
export type Strategy =
  | DefaultStrategy
  | ManagedIdentityStrategy
  | MsalConfidentialClientStrategy
  | ApiKeyStrategy
  | CredentialStrategy;

/** The strategy names, as used by `KEYLESS_STRATEGY`. */
export type StrategyKind = Strategy['kind'];

/**
 * `DefaultAzureCredential` from `@azure/identity` (install it): environment, workload identity,
 * managed identity, then developer logins. Convenient on a laptop; in production prefer an
 * explicit strategy (Microsoft's own guidance), which is faster and cannot pick the wrong identity.
 */
export interface DefaultStrategy {
  kind: 'default';
  /** Tenant to authenticate in. */
  tenantId?: string | undefined;
  /** Client id of a user-assigned managed identity to use in the chain. */
  managedIdentityClientId?: string | undefined;
  /** Client id for workload identity in the chain. */
  workloadIdentityClientId?: string | undefined;
  /** Authority host, e.g. `https://login.microsoftonline.us` for a sovereign cloud. */
  authorityHost?: string | undefined;
  /** Any other `DefaultAzureCredentialOptions`, passed through unchanged. */
  credentialOptions?: Record<string, unknown> | undefined;
}

/**
 * Managed identity (App Service, Functions, Container Apps, VMs/IMDS, AKS, Arc, Cloud Shell…)
 * through `@azure/msal-node` (install it). System-assigned when no id is given, else exactly one
 * of `clientId`, `resourceId`, `objectId` for a user-assigned identity.
 */
export type ManagedIdentityStrategy = { kind: 'managedIdentity' } & (
  | { clientId?: undefined; resourceId?: undefined; objectId?: undefined }
  | { clientId: string; resourceId?: never; objectId?: never }
  | { resourceId: string; clientId?: never; objectId?: never }
  | { objectId: string; clientId?: never; resourceId?: never }
);

/** A client certificate for {@link MsalConfidentialClientStrategy}. */
export type ClientCertificate = {
  /**
   * SHA-256 thumbprint (hex) of the certificate. Optional when the PEM also holds the certificate,
   * from which keyless computes it.
   */
  thumbprintSha256?: string | undefined;
  /** Public certificate chain (PEM) to send as `x5c`, for subject-name/issuer authentication. */
  x5c?: string | undefined;
  /** Password of an encrypted private key. */
  password?: string | undefined;
} & (
  | { /** PEM private key (and optionally the certificate). */ privateKey: string; path?: never }
  | { /** Path to a PEM file holding the private key and the certificate. */ path: string; privateKey?: never }
);

/**
 * A confidential client (service principal) through `@azure/msal-node` (install it):
 * exactly one of a client secret, a certificate or a client-assertion callback.
 */
export type MsalConfidentialClientStrategy = {
  kind: 'msalConfidentialClient';
  /** Directory (tenant) id: a GUID or a verified domain. */
  tenantId: string;
  /** Application (client) id. */
  clientId: string;
  /** Authority host. Default `https://login.microsoftonline.com`. */
  authorityHost?: string | undefined;
  /**
   * Extra CA certificates (PEM) to trust for the authority, e.g. a local emulator. Production
   * authorities never need this.
   */
  ca?: string | undefined;
  /**
   * The HTTP(S) proxy for token requests (`http://proxy.corp:3128`), or `false` for none. Default:
   * HTTPS_PROXY / HTTP_PROXY / NO_PROXY from the environment (either case), per URL, as
   * @azure/identity does.
   */
  proxy?: string | false | undefined;
} & (
  | { clientSecret: string; certificate?: never; clientAssertion?: never }
  | { certificate: ClientCertificate; clientSecret?: never; clientAssertion?: never }
  | {
      /**
       * Returns a fresh signed assertion (e.g. a federated workload-identity token) on each call.
       * A callback, not a string: static assertions expire (AADSTS700024).
       */
      clientAssertion: () => Promise<string> | string;
      clientSecret?: never;
      certificate?: never;
    }
);

/** An Azure OpenAI API key, sent as the `api-key` header. */
export interface ApiKeyStrategy {
  kind: 'apiKey';
  /** The resource's key. Secret: keyless never prints it. */
  key: string;
}

/** Any `TokenCredential` (every `@azure/identity` credential, or your own): the escape hatch. */
export interface CredentialStrategy {
  kind: 'credential';
  credential: TokenCredential;
}
