import { X509Certificate } from 'node:crypto';
import { generate } from 'selfsigned';

/** A PEM key pair with its certificate. */
export interface CertificateMaterial {
  /** PEM private key (PKCS#8). */
  key: string;
  /** PEM certificate. */
  cert: string;
  /** SHA-256 thumbprint, lowercase hex without colons. */
  thumbprintSha256: string;
}

/** A self-signed TLS certificate for 127.0.0.1 and localhost, valid for a day. */
export async function createServerCertificate(): Promise<CertificateMaterial> {
  const result = await generate([{ name: 'commonName', value: 'keyless emulator' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 24 * 3600_000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  return material(result.private, result.cert);
}

/** A client certificate for the emulator's confidential client (certificate credential). */
export async function createClientCertificate(): Promise<CertificateMaterial> {
  const result = await generate([{ name: 'commonName', value: 'keyless emulator client' }], {
    keySize: 2048,
    algorithm: 'sha256',
  });
  return material(result.private, result.cert);
}

function material(key: string, cert: string): CertificateMaterial {
  const thumbprintSha256 = new X509Certificate(cert).fingerprint256.replaceAll(':', '').toLowerCase();
  return { key, cert, thumbprintSha256 };
}
