import type { RequestAuth } from '@keyless/core';
import { describe, expectTypeOf, it } from 'vitest';
import { type AuthenticatedFetchOptions, createAuthenticatedFetch } from '../src/index.js';

describe('@keyless/fetch option types', () => {
  it('returns a function with the fetch signature', () => {
    expectTypeOf(createAuthenticatedFetch).returns.toEqualTypeOf<typeof fetch>();
  });

  it('accepts any object with the slice of Auth it uses', () => {
    expectTypeOf<Pick<RequestAuth, 'kind' | 'getRequestHeaders' | 'invalidate'>>().toExtend<
      Parameters<typeof createAuthenticatedFetch>[0]
    >();
  });

  it('needs an origin, and takes only the known policies for other origins', () => {
    expectTypeOf<{ origin: string; otherOrigins: 'refuse' }>().toExtend<AuthenticatedFetchOptions>();
    expectTypeOf<{ otherOrigins: 'refuse' }>().not.toExtend<AuthenticatedFetchOptions>();
    expectTypeOf<{ origin: string; otherOrigins: 'sometimes' }>().not.toExtend<AuthenticatedFetchOptions>();
  });
});
