import { readFileSync } from 'node:fs';
import { authFromEnv, createAuth } from '@keyless/core';
import { createAuthorizedFetch } from '@keyless/fetch';
import { useEmulator } from '@keyless/testing/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordFigure } from '../src/figures.js';
import { chatVia } from '../src/setup.js';

// Real time: the emulator checks assertion expiry against the wall clock, as Entra does.
const RUN_MS = 60_000;
const ROTATE_EVERY_MS = 2_000;
const ASSERTION_LIFETIME_S = 5;
const CALL_EVERY_MS = 250;

describe('R12: AKS workload identity while the kubelet rotates the token file', () => {
  // The read-once client (the failure shown here) may send its last token in its final second.
  const emulator = useEmulator({ tokenLifetimeSeconds: 20, reset: false, invariants: { noExpiredTokens: false } });
  beforeAll(async () => {
    // Access tokens of 20 s: keyless refreshes every ~10 s, each time with the file as it is then.
    emulator.federation.settings.kubernetesLifetimeSeconds = ASSERTION_LIFETIME_S;
    await emulator.federation.rotateTokenFile();
  });

  it('makes 0 failed calls in a minute of 5 s assertions rotated every 2 s; a client that reads the file once fails', {
    timeout: RUN_MS + 30_000,
  }, async () => {
    const env = emulator.env('workloadIdentity');
    const keyless = createAuthorizedFetch(authFromEnv({ env, ca: emulator.caCertificate }), {
      origin: emulator.openaiEndpoint,
    });
    // The known failure of other SDKs: the file read once, at start, and that assertion reused.
    const readOnce = readFileSync(String(env.AZURE_FEDERATED_TOKEN_FILE), 'utf8').trim();
    const once = createAuthorizedFetch(
      createAuth(
        {
          kind: 'msalConfidentialClient',
          tenantId: emulator.tenantId,
          clientId: emulator.client.clientId,
          authorityHost: emulator.authorityHost,
          ca: emulator.caCertificate,
          clientAssertion: async () => readOnce,
        },
        { backoffMaxMs: 2_000 },
      ),
      { origin: emulator.openaiEndpoint },
    );
    const rotation = setInterval(() => void emulator.federation.rotateTokenFile(), ROTATE_EVERY_MS);
    const tally = { keyless: { calls: 0, failed: 0 }, once: { calls: 0, failed: 0 } };
    const tokenRequestsBefore = emulator.counters.tokenRequests.entra;
    try {
      for (const end = performance.now() + RUN_MS; performance.now() < end; ) {
        const [a, b] = await Promise.all([chatVia(keyless, emulator), chatVia(once, emulator)]);
        tally.keyless.calls += 1;
        tally.once.calls += 1;
        if (a.status !== 200) tally.keyless.failed += 1;
        if (b.status !== 200) tally.once.failed += 1;
        await Promise.all([a.arrayBuffer(), b.arrayBuffer()]);
        await new Promise((resolve) => setTimeout(resolve, CALL_EVERY_MS));
      }
    } finally {
      clearInterval(rotation);
    }
    const { accepted, rejected } = emulator.counters.federatedAssertions;
    const tokenRequests = emulator.counters.tokenRequests.entra - tokenRequestsBefore;
    expect(tally.keyless.failed).toBe(0);
    expect(tally.once.failed).toBeGreaterThan(0);
    expect(accepted).toBeGreaterThanOrEqual(5);
    recordFigure({
      id: 'R12',
      check: `AKS workload identity: the token file rotated every ${ROTATE_EVERY_MS / 1000} s with ${ASSERTION_LIFETIME_S} s assertions, 20 s access tokens, a call every ${CALL_EVERY_MS} ms for ${RUN_MS / 1000} s (real time)`,
      measured: `keyless (authFromEnv, the file read per token request): ${tally.keyless.calls} calls, ${tally.keyless.failed} failed; a client that read the file once: ${tally.once.calls} calls, ${tally.once.failed} failed (AADSTS700024 after ${ASSERTION_LIFETIME_S} s); ${tokenRequests} token requests in all, ${accepted} assertions accepted and ${rejected} refused at the token endpoint`,
    });
  });
});
