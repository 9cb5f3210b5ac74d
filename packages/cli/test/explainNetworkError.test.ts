import { describe, expect, it } from 'vitest';
import { explainNetworkError } from '../src/explainNetworkError.js';

// The shapes undici gives fetch failures: a TypeError whose cause carries the errno, or an
// AggregateError (one per address tried) in the cause. ECONNREFUSED and certificate errors are
// also met for real in doctor.test.ts; DNS failures cannot be, without a network.
const fetchFailure = (cause: unknown) => new TypeError('fetch failed', { cause });

describe('explainNetworkError', () => {
  it.each([
    [
      fetchFailure(Object.assign(new Error('getaddrinfo ENOTFOUND x'), { code: 'ENOTFOUND' })),
      'ENOTFOUND',
      'does not resolve',
    ],
    [
      fetchFailure(new AggregateError([Object.assign(new Error('connect'), { code: 'ECONNREFUSED' })])),
      'ECONNREFUSED',
      'Nothing listens',
    ],
    [
      fetchFailure(Object.assign(new Error('timeout'), { code: 'UND_ERR_CONNECT_TIMEOUT' })),
      'UND_ERR_CONNECT_TIMEOUT',
      'firewall',
    ],
    [
      fetchFailure(Object.assign(new Error('expired'), { code: 'CERT_HAS_EXPIRED' })),
      'CERT_HAS_EXPIRED',
      'NODE_EXTRA_CA_CERTS',
    ],
  ])('reads the errno and gives its fix (%#)', (error, errno, fix) => {
    const explained = explainNetworkError(error);
    expect(explained.errno).toBe(errno);
    expect(explained.fix).toContain(fix);
  });

  it('falls back to the error name when there is no errno', () => {
    expect(explainNetworkError(new TypeError('bad port')).errno).toBe('TypeError');
  });
});
