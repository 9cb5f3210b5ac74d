// Module hooks (node --import) that make the package named by KEYLESS_REFUSE_PEER unresolvable,
// as if it were not installed.
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
export async function resolve(specifier, context, next) {
  if (specifier === ${JSON.stringify(process.env.KEYLESS_REFUSE_PEER)}) {
    throw Object.assign(new Error("Cannot find package '" + specifier + "'"), { code: 'ERR_MODULE_NOT_FOUND' });
  }
  return next(specifier, context);
}`)}`,
);
