import { strategyFor, tokenRequests } from '@keyless/test-suites';
import { useEmulator } from '@keyless/testing/vitest';
import { describe, expect, it } from 'vitest';
import { createAuth } from '../src/createAuth.js';
import type { AuthEvent } from '../src/events.js';
import { createAuthorizedFetch } from '../src/http/authorizedFetch.js';
import { classifyAuthFailure, explainAuthFailure, roleForDataAction } from '../src/http/classifyAuthFailure.js';
import { scopeForEndpoint } from '../src/scopeForEndpoint.js';

const jwt = (claims: Record<string, unknown>) =>
  `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

describe('the scope follows the endpoint', () => {
  it.each([
    ['https://res.services.ai.azure.com/api/projects/p1', 'https://ai.azure.com/.default'],
    ['https://res.services.ai.azure.com/api/projects/p1/', 'https://ai.azure.com/.default'],
    ['https://res.services.ai.azure.com', 'https://cognitiveservices.azure.com/.default'],
    ['https://res.openai.azure.com', 'https://cognitiveservices.azure.com/.default'],
    ['https://res.cognitiveservices.azure.com', 'https://cognitiveservices.azure.com/.default'],
    ['https://res.openai.azure.us', 'https://cognitiveservices.azure.us/.default'],
    ['https://res.openai.azure.cn', 'https://cognitiveservices.azure.cn/.default'],
    ['https://gateway.contoso.com/ai', 'https://cognitiveservices.azure.com/.default'],
  ])('%s → %s', (endpoint, scope) => {
    expect(scopeForEndpoint(endpoint).scope).toBe(scope);
  });
});

describe('reading what Azure says', () => {
  it('takes the audience a 401 names, the data action a denial names, and keys disabled', () => {
    expect(
      classifyAuthFailure(
        401,
        null,
        '{"statusCode":401,"message":"Unauthorized. Access token is missing, invalid, audience is incorrect (https://ai.azure.com), or have expired."}',
      ),
    ).toEqual({ kind: 'invalidToken', audience: 'https://ai.azure.com' });
    const action = 'Microsoft.CognitiveServices/accounts/AIServices/agents/read';
    expect(
      classifyAuthFailure(
        401,
        null,
        `{"error":{"code":"PermissionDenied","message":"The principal \`abc\` lacks the required data action \`${action}\` to perform \`GET /api/projects/{projectName}/assistants\` operation."}}`,
      ),
    ).toEqual({ kind: 'permissionDenied', action });
    expect(
      classifyAuthFailure(
        403,
        null,
        '{"error":{"code":"AuthenticationTypeDisabled","message":"Key based authentication is disabled for this resource."}}',
      ),
    ).toEqual({ kind: 'keyAuthDisabled' });
  });

  it.each([
    [
      'Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action',
      'Cognitive Services OpenAI User',
    ],
    ['Microsoft.CognitiveServices/accounts/AIServices/agents/read', 'Azure AI User'],
    ['Microsoft.CognitiveServices/accounts/SpeechServices/speechrest/action', 'Cognitive Services User'],
  ])('names the least-privilege role for %s', (action, role) => {
    expect(roleForDataAction(action)).toBe(role);
  });

  it("advises the role for a user with the user's name and --assignee-principal-type User", () => {
    const user = jwt({ oid: 'u-1', upn: 'alice@contoso.com', idtyp: 'user', scp: 'user_impersonation' });
    const text = explainAuthFailure(
      { kind: 'permissionDenied', action: 'Microsoft.CognitiveServices/accounts/AIServices/agents/read' },
      user,
    );
    expect(text).toContain('user alice@contoso.com (oid u-1)');
    expect(text).toContain('--role "Azure AI User"');
    expect(text).toContain('--assignee-principal-type User');
    const app = explainAuthFailure({ kind: 'permissionDenied' }, jwt({ oid: 'sp-1', idtyp: 'app' }));
    expect(app).toContain('--role "Cognitive Services OpenAI User"');
    expect(app).toContain('--assignee-principal-type ServicePrincipal');
  });
});

describe('a 401 naming another audience', () => {
  const emulator = useEmulator();
  const chat = (azureFetch: typeof fetch, endpoint: string) =>
    azureFetch(`${endpoint}/openai/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: emulator.deployments.chat, messages: [{ role: 'user', content: 'hi' }] }),
    });

  it('switches once to the Azure AI audience named, when no scope was set, and keeps it', async () => {
    const auth = createAuth(strategyFor('msalSecret', emulator));
    const events: AuthEvent[] = [];
    auth.on((event) => events.push(event));
    // The origin alone: nothing says it is a project, until the project's 401 does.
    const azureFetch = createAuthorizedFetch(auth, { origin: emulator.openaiEndpoint });
    expect((await chat(azureFetch, emulator.foundryProjectEndpoint)).status).toBe(200);
    expect(tokenRequests(emulator)).toBe(2);
    expect(events).toContainEqual({ type: 'scope-selected', scope: 'https://ai.azure.com/.default' });
    // Kept: the next calls go straight to the right audience, no token request, no 401.
    const rejected = emulator.counters.dataPlaneRejected;
    for (let i = 0; i < 3; i++) expect((await chat(azureFetch, emulator.foundryProjectEndpoint)).status).toBe(200);
    expect(tokenRequests(emulator)).toBe(2);
    expect(emulator.counters.dataPlaneRejected).toBe(rejected);
  });

  it('never asks for an audience that is not Azure AI: explains it, with no token request', async () => {
    const auth = createAuth(strategyFor('msalSecret', emulator));
    const azureFetch = createAuthorizedFetch(auth, { origin: emulator.openaiEndpoint });
    await auth.getToken();
    emulator.faults.add('dataPlane', {
      status: 401,
      body: {
        statusCode: 401,
        message:
          'Unauthorized. Access token is missing, invalid, audience is incorrect (https://management.azure.com), or have expired.',
      },
    });
    const response = await chat(azureFetch, emulator.openaiEndpoint);
    expect(response.status).toBe(401);
    expect(response.headers.get('x-keyless-error-code')).toBe('WRONG_AUDIENCE');
    expect(await response.text()).toContain('accepts tokens for https://management.azure.com only');
    expect(tokenRequests(emulator)).toBe(1);
    expect(emulator.counters.dataPlane.bearer).toBe(1);
  });

  it('never overrides an explicit scope', async () => {
    const auth = createAuth(strategyFor('msalSecret', emulator), {
      scope: 'https://cognitiveservices.azure.com/.default',
    });
    const azureFetch = createAuthorizedFetch(auth, { origin: emulator.foundryProjectEndpoint });
    const response = await chat(azureFetch, emulator.foundryProjectEndpoint);
    expect(response.status).toBe(401);
    expect(await response.text()).toContain('You set scope');
    expect(tokenRequests(emulator)).toBe(1);
  });
});
