import { describe, expectTypeOf, it } from 'vitest';
import type { Auth, Strategy } from '../src/index.js';
import { createAuth } from '../src/index.js';

describe('Strategy types', () => {
  it('accepts each strategy shape', () => {
    expectTypeOf<{ kind: 'managedIdentity' }>().toExtend<Strategy>();
    expectTypeOf<{ kind: 'managedIdentity'; clientId: string }>().toExtend<Strategy>();
    expectTypeOf<{ kind: 'apiKey'; key: string }>().toExtend<Strategy>();
    expectTypeOf<{
      kind: 'msalConfidentialClient';
      tenantId: string;
      clientId: string;
      clientSecret: string;
    }>().toExtend<Strategy>();
    expectTypeOf<{
      kind: 'msalConfidentialClient';
      tenantId: string;
      clientId: string;
      clientAssertion: () => Promise<string>;
    }>().toExtend<Strategy>();
    expectTypeOf(createAuth).returns.toEqualTypeOf<Auth>();
  });

  it('rejects options that cannot be combined', () => {
    expectTypeOf<{ kind: 'managedIdentity'; clientId: string; objectId: string }>().not.toExtend<Strategy>();
    expectTypeOf<{
      kind: 'msalConfidentialClient';
      tenantId: string;
      clientId: string;
      clientSecret: string;
      clientAssertion: () => string;
    }>().not.toExtend<Strategy>();
    expectTypeOf<{ kind: 'apiKey' }>().not.toExtend<Strategy>();
  });
});
