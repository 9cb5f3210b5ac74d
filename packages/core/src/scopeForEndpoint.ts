/** The audience of classic Azure OpenAI and Azure AI services resources. */
export const COGNITIVE_SERVICES_AUDIENCE = 'https://cognitiveservices.azure.com';
/** The audience Foundry project endpoints accept (and the only one they accept). */
export const AI_AUDIENCE = 'https://ai.azure.com';

/** The audiences keyless may switch to by itself when a resource names one (Azure AI's own). */
export const AZURE_AI_AUDIENCES: readonly string[] = [COGNITIVE_SERVICES_AUDIENCE, AI_AUDIENCE];

// Sovereign clouds: the resource host's suffix and its audience.
const SOVEREIGN: ReadonlyArray<[RegExp, string]> = [
  [/\.(openai|cognitiveservices)\.azure\.us$/i, 'https://cognitiveservices.azure.us'],
  [/\.(openai|cognitiveservices)\.azure\.cn$/i, 'https://cognitiveservices.azure.cn'],
];

/** Why {@link scopeForEndpoint} chose its scope, for messages and `keyless doctor`. */
export interface EndpointScope {
  /** The scope to ask tokens for, `<audience>/.default`. */
  scope: string;
  /** What the endpoint is, in a few words. */
  reason: string;
}

/**
 * The scope an endpoint's shape calls for, when the user set none:
 * - a Foundry project endpoint (`https://<res>.services.ai.azure.com/api/projects/<project>`, or
 *   any host with that `/api/projects/<project>` path) → `https://ai.azure.com/.default`, the only
 *   audience it accepts;
 * - a classic resource (`*.openai.azure.com`, `*.cognitiveservices.azure.com`, the resource root of
 *   `*.services.ai.azure.com`) → `https://cognitiveservices.azure.com/.default`;
 * - Azure Government and Azure China hosts → their clouds' cognitiveservices audience;
 * - anything else (a gateway, a local emulator) → the cognitiveservices scope, which a gateway
 *   usually does not accept: give a gateway's own audience as `scope`.
 */
export function scopeForEndpoint(endpoint: string | URL): EndpointScope {
  const url = typeof endpoint === 'string' ? new URL(endpoint) : endpoint;
  if (/^\/api\/projects\/[^/]+/i.test(url.pathname)) {
    return { scope: `${AI_AUDIENCE}/.default`, reason: 'a Foundry project endpoint (/api/projects/…)' };
  }
  for (const [host, audience] of SOVEREIGN) {
    if (host.test(url.hostname))
      return { scope: `${audience}/.default`, reason: `a resource in ${url.hostname.split('.').slice(-2).join('.')}` };
  }
  if (/\.(openai|cognitiveservices)\.azure\.com$|\.services\.ai\.azure\.com$/i.test(url.hostname)) {
    return { scope: `${COGNITIVE_SERVICES_AUDIENCE}/.default`, reason: 'an Azure OpenAI / Azure AI resource endpoint' };
  }
  return {
    scope: `${COGNITIVE_SERVICES_AUDIENCE}/.default`,
    reason: 'not an Azure AI host (a gateway takes its own audience: set scope)',
  };
}

/** The audience of a scope: `https://ai.azure.com/.default` → `https://ai.azure.com`. */
export function audienceOfScope(scope: string): string {
  return scope.replace(/\/\.default$/, '');
}
