import { type Env, strategyFromEnv } from '../authFromEnv.js';
import { KeylessError } from '../errors.js';
import { createOnBehalfOf, type OnBehalfOf, type OnBehalfOfOptions } from './createOnBehalfOf.js';

/** Options of {@link onBehalfOfFromEnv}: those of createOnBehalfOf but the client credential. */
export type OnBehalfOfFromEnvOptions = Omit<
  OnBehalfOfOptions,
  'tenantId' | 'clientId' | 'authorityHost' | 'clientSecret' | 'certificate' | 'clientAssertion'
> & {
  /** The environment; `process.env` when omitted, read at call time. */
  env?: Env | undefined;
};

/**
 * {@link createOnBehalfOf} with the API's own app registration from the usual variables, read as
 * authFromEnv reads a service principal: `AZURE_TENANT_ID`, `AZURE_CLIENT_ID`, and one of
 * `AZURE_CLIENT_SECRET`, `AZURE_CLIENT_CERTIFICATE_PATH` (+ `_PASSWORD`),
 * `AZURE_FEDERATED_TOKEN_FILE` (workload identity) or GitHub Actions OIDC; `AZURE_AUTHORITY_HOST`.
 * `AZURE_OPENAI_API_KEY` is ignored: a key cannot act for a user.
 */
export function onBehalfOfFromEnv(options: OnBehalfOfFromEnvOptions = {}): OnBehalfOf {
  const { env = process.env, ...rest } = options;
  const strategy = strategyFromEnv(
    { ...env, KEYLESS_STRATEGY: 'msalConfidentialClient', AZURE_OPENAI_API_KEY: undefined },
    rest.ca,
  );
  if (strategy.kind !== 'msalConfidentialClient') {
    throw new KeylessError(
      'CONFIG_INVALID',
      'onBehalfOfFromEnv: the environment names no app registration. Set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or a certificate, or workload identity).',
    );
  }
  const { kind: _kind, ...client } = strategy;
  return createOnBehalfOf({ ...rest, ...client } as OnBehalfOfOptions);
}
