import { readFile } from 'node:fs/promises';
import { useEmulator } from '@keyless/testing/vitest';
import { beforeEach, describe, expect, it } from 'vitest';
import { explainEnvStrategy } from '../src/adapter.js';
import {
  authFromEnv,
  createAuth,
  githubActionsAssertion,
  isKeylessError,
  workloadIdentityAssertion,
} from '../src/index.js';

const emulator = useEmulator();
beforeEach(async () => {
  emulator.federation.settings.githubLifetimeSeconds = 300;
  await emulator.federation.rotateTokenFile();
});

// Fast retries: each test drives the backoff with real (short) waits only where it must.
const fast = { backoffInitialMs: 1, backoffMaxMs: 1, random: () => 0 };
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => {
      if (!isKeylessError(error)) throw error;
      return error;
    },
  );

describe('workload identity (AZURE_FEDERATED_TOKEN_FILE)', () => {
  const auth = () => authFromEnv(emulator.env('workloadIdentity'), { ca: emulator.caCertificate, ...fast });

  it('is what authFromEnv picks from the AKS webhook variables, and explains why', async () => {
    const explained = explainEnvStrategy(emulator.env('workloadIdentity'));
    expect(explained.kind).toBe('msalConfidentialClient');
    expect(explained.reason).toContain('AZURE_FEDERATED_TOKEN_FILE');
    expect(await auth().getToken()).toMatch(/^eyJ/);
    expect(emulator.counters.federatedAssertions).toEqual({ accepted: 1, rejected: 0 });
  });

  it('reads the file for every token request: an expired token fails, the rotated one works', async () => {
    const subject = auth();
    await emulator.federation.rotateTokenFile({ lifetimeSeconds: -120 });
    const expired = await failureOf(subject.getToken());
    expect(expired.message).toContain('AADSTS700024');
    expect(expired.message).toContain('keyless re-reads the file for every token request');
    await emulator.federation.rotateTokenFile();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await subject.getToken()).toMatch(/^eyJ/);
    expect(emulator.counters.federatedAssertions).toEqual({ accepted: 1, rejected: 1 });
  });

  it('explains a subject that matches no federated credential, with the pattern and the subject found', async () => {
    await emulator.federation.rotateTokenFile({ subject: 'system:serviceaccount:payments:api' });
    const assertion = (await readFile(emulator.federation.kubernetes.tokenFile, 'utf8')).trim();
    const error = await failureOf(auth().getToken());
    expect(error.message).toContain('AADSTS70021');
    expect(error.message).toContain('system:serviceaccount:<namespace>:<service account>');
    expect(error.message).toContain('"system:serviceaccount:payments:api"');
    expect(error.message).toContain(emulator.federation.kubernetes.issuer);
    expect(error.message).not.toContain(assertion);
    expect(JSON.stringify(error)).not.toContain(assertion.split('.')[2]);
  });

  it('explains a wrong audience', async () => {
    await emulator.federation.rotateTokenFile({ audience: 'api://wrong-audience' });
    const error = await failureOf(auth().getToken());
    expect(error.message).toContain('AADSTS700212');
    expect(error.message).toContain('"api://wrong-audience"');
    expect(error.message).toContain('api://AzureADTokenExchange');
  });

  it('names the variable when the file is missing', async () => {
    const missing = createAuth({
      kind: 'msalConfidentialClient',
      tenantId: emulator.tenantId,
      clientId: emulator.client.clientId,
      authorityHost: emulator.authorityHost,
      ca: emulator.caCertificate,
      clientAssertion: workloadIdentityAssertion('/var/run/secrets/azure/tokens/absent'),
    });
    const error = await failureOf(missing.getToken());
    expect(error.code).toBe('CREDENTIAL_UNAVAILABLE');
    expect(error.message).toContain('AZURE_FEDERATED_TOKEN_FILE points at /var/run/secrets/azure/tokens/absent');
    expect(error.message).toContain('ENOENT');
    expect(emulator.counters.tokenRequests.entra).toBe(0);
  });
});

describe('GitHub Actions OIDC (ACTIONS_ID_TOKEN_REQUEST_URL)', () => {
  const auth = () => authFromEnv(emulator.env('githubActions'), { ca: emulator.caCertificate, ...fast });

  it('is what authFromEnv picks in a job with id-token: write, and fetches a fresh token per token request', async () => {
    const explained = explainEnvStrategy(emulator.env('githubActions'));
    expect(explained.kind).toBe('msalConfidentialClient');
    expect(explained.reason).toContain('GitHub Actions OIDC');
    const subject = auth();
    const first = await subject.getToken();
    subject.invalidate(first);
    await subject.getToken();
    expect(emulator.counters.githubTokenRequests).toBe(2);
    expect(emulator.counters.federatedAssertions.accepted).toBe(2);
  });

  it('explains an expired CI token', async () => {
    emulator.federation.settings.githubLifetimeSeconds = -60;
    const error = await failureOf(auth().getToken());
    expect(error.message).toContain('AADSTS700024');
    expect(error.message).toContain('GitHub Actions OIDC token expired');
  });

  it('says what to fix when the runner token is refused, and never shows it', async () => {
    const refused = createAuth({
      kind: 'msalConfidentialClient',
      tenantId: emulator.tenantId,
      clientId: emulator.client.clientId,
      authorityHost: emulator.authorityHost,
      ca: emulator.caCertificate,
      clientAssertion: githubActionsAssertion({
        requestUrl: emulator.federation.github.requestUrl,
        requestToken: 'a-wrong-runner-token-0123456789',
        ca: emulator.caCertificate,
      }),
    });
    const error = await failureOf(refused.getToken());
    expect(error.code).toBe('CREDENTIAL_UNAVAILABLE');
    expect(error.message).toContain('permissions: id-token: write');
    expect(error.message).not.toContain('a-wrong-runner-token-0123456789');
  });

  it('a secret beside the Actions variables wins, and the Actions variables are reported as not read', () => {
    const env = { ...emulator.env('githubActions'), AZURE_CLIENT_SECRET: emulator.client.clientSecret };
    const explained = explainEnvStrategy(env);
    expect(explained.reason).toContain('AZURE_CLIENT_SECRET');
    expect(explained.ignored.map((i) => i.name)).toEqual([
      'ACTIONS_ID_TOKEN_REQUEST_URL',
      'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
    ]);
  });
});
