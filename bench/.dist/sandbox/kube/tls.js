// A throwaway CA and a serving certificate for 127.0.0.1/localhost, so kubectl (which does not send a
// bearer token over plain http) can talk to the sandbox; the kubeconfig carries the CA.
// Keys come from Node's native generator (fast); node-forge builds and signs the certificates.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';
function rsaKeys() {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const key = forge.pki.privateKeyFromPem(pem);
    const publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
    return { key, publicKey, pem };
}
function serial() {
    // Positive, non-zero serial number.
    return `01${randomBytes(8).toString('hex')}`;
}
export function generateServingCertificate(hosts) {
    const notBefore = new Date(Date.now() - 60 * 60 * 1000);
    const notAfter = new Date(Date.now() + 365 * 24 * 60 * 60 * 1000);
    const ca = rsaKeys();
    const caCert = forge.pki.createCertificate();
    caCert.publicKey = ca.publicKey;
    caCert.serialNumber = serial();
    caCert.validity.notBefore = notBefore;
    caCert.validity.notAfter = notAfter;
    const caName = [{ name: 'commonName', value: 'kv-rollover sandbox kube CA' }];
    caCert.setSubject(caName);
    caCert.setIssuer(caName);
    caCert.setExtensions([
        { name: 'basicConstraints', cA: true, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
        { name: 'subjectKeyIdentifier' },
    ]);
    caCert.sign(ca.key, forge.md.sha256.create());
    const leaf = rsaKeys();
    const cert = forge.pki.createCertificate();
    cert.publicKey = leaf.publicKey;
    cert.serialNumber = serial();
    cert.validity.notBefore = notBefore;
    cert.validity.notAfter = notAfter;
    cert.setSubject([{ name: 'commonName', value: 'kube-apiserver' }]);
    cert.setIssuer(caName);
    cert.setExtensions([
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        {
            name: 'subjectAltName',
            altNames: [
                ...hosts.ips.map((ip) => ({ type: 7, ip })),
                ...hosts.dns.map((value) => ({ type: 2, value })),
            ],
        },
        { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
    ]);
    cert.sign(ca.key, forge.md.sha256.create());
    return {
        caPem: forge.pki.certificateToPem(caCert),
        certPem: forge.pki.certificateToPem(cert),
        keyPem: leaf.pem,
    };
}
//# sourceMappingURL=tls.js.map