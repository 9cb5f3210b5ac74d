import { KeylessError } from '../errors.js';
import type { ClientCertificate } from '../strategy.js';
import { nodeCrypto, nodeFs } from './nodeBuiltins.js';

/** What msal-node's `clientCertificate` needs. */
export interface MsalCertificate {
  thumbprintSha256: string;
  privateKey: string;
  x5c?: string;
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * Reads a client certificate (inline PEM or a PEM file), decrypts the key if a password is given
 * and computes the SHA-256 thumbprint from the certificate when it is not given. Errors name the
 * setting, never the key.
 */
export function readCertificate(component: string, setting: string, certificate: ClientCertificate): MsalCertificate {
  const { createPrivateKey, X509Certificate } = nodeCrypto();
  let pem: string;
  if (certificate.path !== undefined) {
    try {
      pem = nodeFs().readFileSync(certificate.path, 'utf8');
    } catch (error) {
      throw new KeylessError(
        'CONFIG_INVALID',
        `${component}: cannot read the certificate file named by ${setting} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'}). Check the path and that this process may read it.`,
        { cause: error },
      );
    }
    if (!pem.includes('-----BEGIN')) {
      throw new KeylessError(
        'CONFIG_INVALID',
        `${component}: the file named by ${setting} is not PEM (a PFX/PKCS#12 file?). Convert it: openssl pkcs12 -in cert.pfx -out cert.pem -nodes.`,
        { secrets: [pem] },
      );
    }
  } else {
    pem = certificate.privateKey;
  }
  let privateKey: string;
  try {
    privateKey = createPrivateKey({
      key: pem,
      ...(certificate.password === undefined ? {} : { passphrase: certificate.password }),
    })
      .export({ format: 'pem', type: 'pkcs8' })
      .toString();
  } catch (error) {
    throw new KeylessError(
      'CONFIG_INVALID',
      `${component}: the private key in ${setting} cannot be read (missing, malformed, or encrypted without the right password). Provide a PEM private key, and its password if it is encrypted.`,
      { cause: error, secrets: [pem, certificate.password ?? ''] },
    );
  }
  const certificates = pem.match(PEM_CERT) ?? [];
  let thumbprint = certificate.thumbprintSha256?.replaceAll(':', '').toLowerCase();
  if (thumbprint === undefined) {
    const first = certificates[0];
    if (first === undefined) {
      throw new KeylessError(
        'CONFIG_INVALID',
        `${component}: ${setting} holds no certificate to compute the thumbprint from. Add the certificate to the PEM, or pass thumbprintSha256.`,
        { secrets: [pem] },
      );
    }
    thumbprint = new X509Certificate(first).fingerprint256.replaceAll(':', '').toLowerCase();
  }
  if (!/^[0-9a-f]{64}$/.test(thumbprint)) {
    throw new KeylessError(
      'CONFIG_INVALID',
      `${component}: thumbprintSha256 is not 64 hex digits. Use the certificate's SHA-256 thumbprint (not the SHA-1 one).`,
    );
  }
  const x5c = certificate.x5c;
  return { thumbprintSha256: thumbprint, privateKey, ...(x5c === undefined ? {} : { x5c }) };
}
