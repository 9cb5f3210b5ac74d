import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { KeylessError } from '../src/errors.js';
import { proxyCredentials, redactText, sanitizeError } from '../src/redact.js';

const CANARY = 'canary-Secret-7f3a9c1e55';
const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJvaWQiOiJhYmMiLCJleHAiOjF9.c2lnbmF0dXJlLXZhbHVlLWhlcmU';

describe('redaction', () => {
  it.each([
    ['a known secret value', `key is ${CANARY}!`, CANARY],
    ['a JWT', `token ${JWT} rejected`, JWT],
    ['a bearer header', 'Authorization: Bearer abcdefghijklmnop', 'abcdefghijklmnop'],
    ['a form field', 'client_secret=s3cr3t-value&client_id=1', 's3cr3t-value'],
    ['a JSON field', '{"apiKey":"k3y-value-123"}', 'k3y-value-123'],
    ['a private key', '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----', 'MIIEvQIBADANBg'],
    ['a Redis URL with an access key', 'cannot reach redis://:Acc3ssK3yValue@cache:6379 now', 'Acc3ssK3yValue'],
    ['a proxy URL with user and password', 'via http://alice:pr0xy-pass@proxy.corp:3128/', 'pr0xy-pass'],
    ['a URL username alone', 'rediss://default-user-key@cache.example:6380', 'default-user-key'],
  ])('removes %s', (_name, text, secret) => {
    const out = redactText(text, [CANARY]);
    expect(out).not.toContain(secret);
    expect(out).toContain('[REDACTED]');
  });

  it('keeps the host of a URL with userinfo, and leaves an e-mail address alone', () => {
    expect(redactText('redis://:key@cache:6379 and alice@example.com')).toBe(
      'redis://[REDACTED]@cache:6379 and alice@example.com',
    );
  });

  it("finds the environment's proxy credentials, encoded and decoded", () => {
    const found = proxyCredentials({ HTTPS_PROXY: 'http://alice:p%40ss-w0rd@proxy.corp:3128', NO_PROXY: 'x' });
    expect(found).toEqual(expect.arrayContaining(['alice', 'p%40ss-w0rd', 'p@ss-w0rd']));
    expect(redactText('proxy said: bad password p@ss-w0rd for alice-the-user', found)).not.toContain('p@ss-w0rd');
    expect(proxyCredentials({ HTTP_PROXY: 'http://proxy.corp:3128' })).toEqual([]);
  });

  it('keeps ordinary text intact', () => {
    expect(redactText('the token endpoint answered 503 (Service Unavailable)')).toBe(
      'the token endpoint answered 503 (Service Unavailable)',
    );
  });

  it('sanitizes a cause chain so inspect and JSON never reach the secret', () => {
    const inner = Object.assign(new Error(`upstream said ${CANARY}`), {
      config: { headers: { authorization: `Bearer ${JWT}` } },
    });
    const outer = new Error('wrapper', { cause: inner });
    const error = new KeylessError('TOKEN_REQUEST_FAILED', `test: failed with ${CANARY}. Fix it.`, {
      cause: outer,
      secrets: [CANARY],
    });
    for (const printed of [
      inspect(error, { depth: null }),
      JSON.stringify(error),
      String(error.stack),
      error.message,
    ]) {
      expect(printed).not.toContain(CANARY);
      expect(printed).not.toContain(JWT);
    }
    expect((error.cause as Error).message).toBe('wrapper');
    expect(((error.cause as Error).cause as Error).message).toContain('[REDACTED]');
  });

  it('keeps useful scalar fields of the cause', () => {
    const copy = sanitizeError(Object.assign(new Error('x'), { errorCode: 'invalid_client', status: 401 }));
    expect(copy).toMatchObject({ errorCode: 'invalid_client', status: 401 });
  });
});
