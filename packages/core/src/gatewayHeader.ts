import { KeylessError } from './errors.js';
import { requireText } from './validate.js';

/** A gateway's subscription key as `AuthOptions.gatewayKey` takes it. */
export type GatewayKeyOption = string | { key: string; header?: string | undefined } | undefined;

/** The gateway's subscription-key header, validated; undefined without one. */
export function gatewayHeader(option: GatewayKeyOption): Readonly<Record<string, string>> | undefined {
  if (option === undefined) return undefined;
  const key = requireText('createAuth', 'gatewayKey', typeof option === 'string' ? option : option?.key);
  const header =
    typeof option === 'string' || option.header === undefined ? 'ocp-apim-subscription-key' : option.header;
  if (!/^[a-z0-9-]+$/i.test(header) || ['authorization', 'api-key', 'cookie', 'host'].includes(header.toLowerCase())) {
    throw new KeylessError(
      'CONFIG_INVALID',
      `createAuth: gatewayKey.header must be a header name of its own such as Ocp-Apim-Subscription-Key, not ${JSON.stringify(header).slice(0, 40)}. The credential header is keyless's to set.`,
    );
  }
  return Object.freeze({ [header.toLowerCase()]: key });
}
