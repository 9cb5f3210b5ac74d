import { KeylessError } from '../errors.js';
import { requireEndpoint } from '../validate.js';

/**
 * The one rule for an Azure OpenAI endpoint, used by every adapter and by `keyless doctor`:
 * the resource's origin (`https://<resource>.openai.azure.com`, `.cognitiveservices.azure.com`,
 * `.services.ai.azure.com`, a sovereign cloud's host, a gateway's or a local emulator's), with or
 * without a trailing slash. A path into the API (`/openai/...`, as the portal's "Target URI"
 * shows it) or a query is refused with the value to use instead: the adapters add those parts
 * themselves, and with them twice every call is a 404. A gateway's own path prefix is kept.
 *
 * @returns The endpoint without a trailing slash, e.g. `https://my-resource.openai.azure.com`.
 */
export function resourceEndpoint(component: string, setting: string, value: unknown): string {
  const url = requireEndpoint(component, setting, value);
  const openaiAt = url.pathname.search(/\/openai(\/|$)/i);
  if (openaiAt >= 0 || url.search !== '' || url.hash !== '') {
    const corrected = `${url.origin}${openaiAt >= 0 ? url.pathname.slice(0, openaiAt) : url.pathname.replace(/\/+$/, '')}`;
    throw new KeylessError(
      'CONFIG_INVALID',
      `${component}: ${setting} must be the resource endpoint, not a URL into the API (it has ${openaiAt >= 0 ? 'the path /openai…' : 'a query or fragment'}). Use ${corrected}; keyless adds the /openai path, the deployment and the api-version itself.`,
    );
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
