import { describe, expect, it } from 'vitest';
import { isKeylessError, KeylessError } from '../src/errors.js';

describe('KeylessError', () => {
  it('has a stable code, a name, a chained cause and a link to its troubleshooting section', () => {
    const cause = new Error('root');
    const error = new KeylessError('CONFIG_INVALID', 'createAuth: scope is empty. Set scope.', { cause });
    expect(error.name).toBe('KeylessError');
    expect(error.code).toBe('CONFIG_INVALID');
    expect((error.cause as Error).message).toBe('root');
    expect(error.message).toMatch(
      /^createAuth: scope is empty\. Set scope\. \(@keyless\/core\/TROUBLESHOOTING\.md#config-invalid\)$/,
    );
  });

  it('is recognised across package copies by name and code', () => {
    const foreign = Object.assign(new Error('x'), { name: 'KeylessError', code: 'INVALID_TOKEN' });
    expect(isKeylessError(foreign)).toBe(true);
    expect(isKeylessError(new Error('x'))).toBe(false);
  });
});
