import { useEmulator } from '@keyless/testing/vitest';
import { beforeEach, describe, expect, it } from 'vitest';
import { ADAPTERS } from '../src/adapters.js';
import { recordFigure } from '../src/figures.js';
import { observedAuth } from '../src/setup.js';

const CLAIMS = '{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}';
const CHALLENGE = `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="${Buffer.from(CLAIMS).toString('base64')}"`;

describe.each(Object.keys(ADAPTERS) as Array<keyof typeof ADAPTERS>)(
  'R3: auth failures through the %s adapter',
  (adapter) => {
    const emulator = useEmulator();
    let observed: ReturnType<typeof observedAuth>;
    let chat: (content: string) => Promise<string>;
    const snapshot = () => ({
      tokens: emulator.counters.tokenRequests.entra,
      calls: emulator.counters.dataPlane.bearer,
      refreshes: observed.events.filter((e) => e.type === 'refresh-started').length,
    });
    beforeEach(async () => {
      observed = observedAuth(emulator);
      chat = ADAPTERS[adapter](observed.auth, emulator, { maxRetries: 0 });
      await chat('warm');
    });

    it('an invalid/expired-token 401 costs exactly one refresh and one retry', async () => {
      const before = snapshot();
      emulator.revokeTokens();
      expect(await chat('after revoke')).toBe('Echo: after revoke');
      const after = snapshot();
      expect([after.refreshes - before.refreshes, after.tokens - before.tokens, after.calls - before.calls]).toEqual([
        1, 1, 2,
      ]);
      recordFigure({
        id: 'R3',
        check: `${adapter}: revoked token`,
        measured: `${after.refreshes - before.refreshes} refresh, ${after.tokens - before.tokens} token request, ${after.calls - before.calls} data-plane calls (1 retry), then success`,
      });
    });

    it('PermissionDenied is never retried and names the role, the principal and the fix', async () => {
      const before = snapshot();
      emulator.removeRole(emulator.client.objectId);
      const error = await chat('denied').then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      emulator.grantRole(emulator.client.objectId);
      const after = snapshot();
      expect(error?.message).toContain('Cognitive Services OpenAI User');
      expect(error?.message).toContain(emulator.client.objectId);
      expect(error?.message).toContain('az role assignment create');
      expect([after.refreshes - before.refreshes, after.calls - before.calls]).toEqual([0, 1]);
      recordFigure({
        id: 'R3',
        check: `${adapter}: missing role (PermissionDenied)`,
        measured: `${after.calls - before.calls} data-plane call, ${after.refreshes - before.refreshes} refreshes, 0 retries; error names the role, oid ${emulator.client.objectId.slice(0, 8)}… and the az command`,
      });
    });

    it('a CAE insufficient_claims challenge costs one re-auth with those claims, and never loops', async () => {
      const before = { ...snapshot(), claims: emulator.counters.tokenRequestsWithClaims };
      emulator.faults.add('dataPlane', { status: 401, wwwAuthenticate: CHALLENGE });
      expect(await chat('challenged')).toBe('Echo: challenged');
      const once = { ...snapshot(), claims: emulator.counters.tokenRequestsWithClaims };
      expect([once.claims - before.claims, once.calls - before.calls]).toEqual([1, 2]);

      emulator.faults.add('dataPlane', { status: 401, wwwAuthenticate: CHALLENGE, times: 10 });
      const error = await chat('always challenged').then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      const persistent = { ...snapshot(), claims: emulator.counters.tokenRequestsWithClaims };
      // The token just won for the claims is challenged again: within the pacing interval keyless
      // asks for no other one and explains (rule 8 of the token cache).
      expect(error?.message).toContain('a fresh token was rejected too');
      expect([persistent.claims - once.claims, persistent.calls - once.calls]).toEqual([0, 1]);
      recordFigure({
        id: 'R3',
        check: `${adapter}: CAE claims challenge`,
        measured: `once: ${once.claims - before.claims} token request with claims, ${once.calls - before.calls} data-plane calls, success; challenged again at once: ${persistent.claims - once.claims} token requests, ${persistent.calls - once.calls} call, then an explained error (paced, no loop)`,
      });
    });
  },
);
