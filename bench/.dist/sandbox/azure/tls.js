// The transport CA: a CA generated per sandbox that signs the HTTPS server's certificate for Azure's
// real host names. Clients trust it through NODE_EXTRA_CA_CERTS (set before node starts) or an explicit
// `ca` option — never by disabling verification. It is unrelated to the simulated issuing CAs (ca.ts).
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
x509.cryptoProvider.set(webcrypto);
const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
async function pkcs8Pem(key) {
    const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
    return x509.PemConverter.encode(der, 'PRIVATE KEY');
}
export async function createTransportCa(now = new Date()) {
    const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
    const notBefore = new Date(now.getTime() - 86_400_000);
    const notAfter = new Date(now.getTime() + 365 * 86_400_000);
    const ca = await x509.X509CertificateGenerator.createSelfSigned({
        serialNumber: '01',
        name: 'CN=kv-rollover sandbox transport CA, O=kv-rollover sandbox',
        notBefore,
        notAfter,
        signingAlgorithm: ALG,
        keys: keys,
        extensions: [
            new x509.BasicConstraintsExtension(true, 0, true),
            new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
            await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
        ],
    });
    let serial = 2;
    return {
        certPem: ca.toString('pem'),
        async issueServer(dnsNames, ips = []) {
            const leafKeys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
            const cert = await x509.X509CertificateGenerator.create({
                serialNumber: (serial++).toString(16).padStart(2, '0'),
                subject: `CN=${dnsNames[0] ?? 'localhost'}`,
                issuer: ca.subject,
                notBefore,
                notAfter,
                signingAlgorithm: ALG,
                publicKey: leafKeys.publicKey,
                signingKey: keys.privateKey,
                extensions: [
                    new x509.BasicConstraintsExtension(false, undefined, true),
                    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
                    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
                    new x509.SubjectAlternativeNameExtension([
                        ...dnsNames.map((value) => ({ type: 'dns', value })),
                        ...ips.map((value) => ({ type: 'ip', value })),
                    ]),
                    await x509.AuthorityKeyIdentifierExtension.create(ca),
                ],
            });
            return { certPem: cert.toString('pem'), keyPem: await pkcs8Pem(leafKeys.privateKey) };
        },
    };
}
//# sourceMappingURL=tls.js.map