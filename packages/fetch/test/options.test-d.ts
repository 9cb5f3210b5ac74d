import type { RequestAuth } from '@keyless/core/adapter';
import { describe, expectTypeOf, it } from 'vitest';
import { type AuthorizedFetchOptions, createAuthenticatedFetch, createAuthorizedFetch } from '../src/index.js';

describe('@keyless/fetch option types', () => {
  it('returns a function with the fetch signature', () => {
    expectTypeOf(createAuthorizedFetch).returns.toEqualTypeOf<typeof fetch>();
  });

  it('accepts any object with the slice of Auth it uses', () => {
    expectTypeOf<Pick<RequestAuth, 'kind' | 'getRequestHeaders' | 'invalidate'>>().toExtend<
      Parameters<typeof createAuthorizedFetch>[0]
    >();
  });

  it('needs an origin, and takes only the known policies for other origins', () => {
    expectTypeOf<{ origin: string; otherOrigins: 'refuse' }>().toExtend<AuthorizedFetchOptions>();
    expectTypeOf<{ otherOrigins: 'refuse' }>().not.toExtend<AuthorizedFetchOptions>();
    expectTypeOf<{ origin: string; otherOrigins: 'sometimes' }>().not.toExtend<AuthorizedFetchOptions>();
  });
});

describe('@keyless/fetch: the old name', () => {
  it('createAuthenticatedFetch is the same function, kept as a deprecated alias', () => {
    expectTypeOf(createAuthenticatedFetch).toEqualTypeOf(createAuthorizedFetch);
  });
});
