import { COGNITIVE_SERVICES_SCOPE, createAuth } from '@keyless/core';
import { useEmulator } from '@keyless/testing/vitest';
import { beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import type { MakeAdapter } from './describeAdapterConformance.js';
import { strategyFor, tokenRequests } from './strategyFor.js';

/** The error a call ends with, or a test failure when it succeeds. */
async function failureOf(call: Promise<unknown>): Promise<Error> {
  return call.then(
    () => expect.unreachable('the call was expected to fail') as never,
    (error: unknown) => error as Error,
  );
}

/**
 * Azure as users meet it, through one adapter with the real SDK: a Foundry project endpoint
 * (only `https://ai.azure.com` tokens), an explicit scope that does not fit it, an API
 * Management gateway (subscription key + a token for its audience), and a resource with key
 * authentication disabled.
 */
export function describeAzureShapes(adapter: string, make: MakeAdapter): void {
  describe(`${adapter} adapter: Foundry projects and resources as users meet them`, () => {
    const emulator = useEmulator();
    beforeEach(() => {
      emulator.settings.localAuthDisabled = false;
    });

    it('takes the https://ai.azure.com scope for a Foundry project endpoint: one token request, no wasted one', async () => {
      const auth = createAuth(strategyFor('msalSecret', emulator));
      const client = make(auth, emulator, { endpoint: emulator.foundryProjectEndpoint });
      expect(await client.chat('to the project')).toBe('Echo: to the project');
      expect(await client.chat('again')).toBe('Echo: again');
      // The project accepts nothing but ai.azure.com tokens: the call succeeding proves the audience.
      expect(tokenRequests(emulator)).toBe(1);
      expect(emulator.counters.dataPlaneRejected).toBe(0);
    });

    it('explains an explicit scope a project endpoint refuses, naming the scope to set, without a refresh', async () => {
      const auth = createAuth(strategyFor('msalSecret', emulator), { scope: COGNITIVE_SERVICES_SCOPE });
      const client = make(auth, emulator, { endpoint: emulator.foundryProjectEndpoint });
      const error = await failureOf(client.chat('wrong audience'));
      expect(error.message).toContain('accepts tokens for https://ai.azure.com only');
      expect(error.message).toMatch(/set it to \\?"https:\/\/ai\.azure\.com\/\.default/);
      expect(error.message).not.toContain('check that the token is for https://cognitiveservices.azure.com');
      // An explicit scope is never overridden, and a refresh cannot help: one token, one call.
      expect(tokenRequests(emulator)).toBe(1);
      expect(emulator.counters.dataPlane.bearer).toBe(1);
    });

    it("calls through an API Management gateway: its subscription key beside one token for the gateway's audience", async () => {
      const auth = createAuth(strategyFor('msalSecret', emulator), {
        scope: emulator.gateway.scope,
        gatewayKey: emulator.gateway.key,
      });
      const client = make(auth, emulator, { endpoint: emulator.gateway.endpoint });
      expect(await client.chat('through the gateway')).toBe('Echo: through the gateway');
      // The gateway accepts only the pair (key + a bearer for its audience) and forwards once.
      expect(emulator.counters.gatewayRequests).toBe(1);
      expect(emulator.log.filter((entry) => entry.endpoint === 'gateway').map((entry) => entry.status)).toEqual([200]);
      const withoutKey = make(
        createAuth(strategyFor('msalSecret', emulator), { scope: emulator.gateway.scope }),
        emulator,
        { endpoint: emulator.gateway.endpoint },
      );
      expect((await failureOf(withoutKey.chat('no key'))).message).toContain('missing subscription key');
    });

    it('names an untrusted certificate (a TLS-inspecting proxy), the host and NODE_EXTRA_CA_CERTS: token endpoint and data plane', async () => {
      // The emulator's authority presents a certificate nothing here trusts unless given its CA.
      const { ca: _trusted, ...untrusting } = strategyFor('msalSecret', emulator) as { ca?: string };
      const viaToken = make(createAuth(untrusting as Parameters<typeof createAuth>[0]), emulator);
      const tokenError = await failureOf(viaToken.chat('through an inspecting proxy'));
      expect(tokenError.message).toContain(`TLS certificate of ${new URL(emulator.authorityHost).host} is not trusted`);
      expect(tokenError.message).toContain('NODE_EXTRA_CA_CERTS');
      // The data plane's port speaks TLS too, with the same untrusted certificate.
      const https = emulator.openaiEndpoint.replace(/^http:/, 'https:');
      const viaData = make(createAuth({ kind: 'apiKey', key: emulator.apiKey }), emulator, { endpoint: https });
      const dataError = await failureOf(viaData.chat('to an https endpoint'));
      expect(dataError.message).toContain(`TLS certificate of ${new URL(https).host} is not trusted`);
      expect(dataError.message).toContain('NODE_EXTRA_CA_CERTS');
    });

    // DefaultAzureCredential reads process.env: the developer links and the stand-in az and azd
    // first on PATH, for this test only (the whole kind's variables would also name the
    // emulator's CA in NODE_EXTRA_CA_CERTS, which Deno reads at run time: the untrusted-certificate
    // test above would then trust it).
    it('a developer signed in with az: the call is made as the user, who holds the role; signed out: az login first', async () => {
      const { AZURE_TOKEN_CREDENTIALS, PATH } = emulator.env('developerCli');
      const saved = { AZURE_TOKEN_CREDENTIALS: process.env.AZURE_TOKEN_CREDENTIALS, PATH: process.env.PATH };
      Object.assign(process.env, { AZURE_TOKEN_CREDENTIALS, PATH });
      onTestFinished(() => {
        for (const [name, value] of Object.entries(saved)) {
          if (value === undefined) delete process.env[name];
          else process.env[name] = value;
        }
      });
      const auth = createAuth(strategyFor('developerCli', emulator));
      expect(await make(auth, emulator).chat('as the developer')).toBe('Echo: as the developer');
      expect(emulator.counters.tokenRequests.developerCli).toBe(1);
      emulator.developer.session = 'signed-out';
      try {
        const error = await failureOf(
          make(createAuth(strategyFor('developerCli', emulator)), emulator).chat('signed out'),
        );
        expect(error.message).toMatch(/DefaultAzureCredential: no credential is available here\. Run az login/);
        expect(error.message).toContain('Azure CLI: installed, not signed in');
      } finally {
        emulator.developer.session = 'signed-in';
      }
    });

    it('explains a resource with key authentication disabled, and does not retry', async () => {
      emulator.settings.localAuthDisabled = true;
      const client = make(createAuth({ kind: 'apiKey', key: emulator.apiKey }), emulator);
      const error = await failureOf(client.chat('with a key'));
      expect(error.message).toContain('key authentication disabled');
      expect(error.message).toContain('Use a token strategy');
      expect(emulator.counters.dataPlane.apiKey).toBe(1);
    });
  });
}
