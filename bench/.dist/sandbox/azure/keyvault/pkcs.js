// Secret values of certificate-backed secrets [KV-CERT]: base64 PKCS#12 without a password for
// `application/x-pkcs12`, or a PEM bundle for `application/x-pem-file`; a non-exportable key is not part
// of the value. The chain follows the leaf (leaf first), as the KeyVault extensions expect.
import forge from 'node-forge';
function derToPem(der, label) {
    const b64 = der.toString('base64').replace(/.{1,64}/g, '$&\n');
    return `-----BEGIN ${label}-----\n${b64}-----END ${label}-----\n`;
}
export function certificatePem(der) {
    return derToPem(der, 'CERTIFICATE');
}
export function buildPemBundle(keyPkcs8, der, chain, exportable) {
    const parts = exportable ? [derToPem(keyPkcs8, 'PRIVATE KEY')] : [];
    parts.push(certificatePem(der), ...chain.map(certificatePem));
    return parts.join('');
}
/**
 * PKCS#12 with an empty password (what Key Vault serves). node-forge can only serialise RSA keys itself,
 * so the key bag is built from the PKCS#8 bytes directly: forge's two key-encoding hooks are swapped
 * for identity functions for the duration of this synchronous call (RSA and EC alike).
 */
export function buildPfx(keyPkcs8, _keyType, der, chain, exportable) {
    // forge cannot parse certificates with EC keys either, so certificates travel as ASN.1 too.
    const certs = [der, ...chain].map((d) => ({ asn1: forge.asn1.fromDer(d.toString('binary')) }));
    const pki = forge.pki;
    const keyAsn1 = exportable ? forge.asn1.fromDer(keyPkcs8.toString('binary')) : null;
    const savedToAsn1 = pki.privateKeyToAsn1;
    const savedWrap = pki.wrapRsaPrivateKey;
    const savedCert = pki.certificateToAsn1;
    try {
        pki.certificateToAsn1 = (c) => c.asn1;
        pki.privateKeyToAsn1 = (k) => k.asn1;
        pki.wrapRsaPrivateKey = (a) => a;
        const p12 = forge.pkcs12.toPkcs12Asn1((keyAsn1 ? { asn1: keyAsn1 } : null), certs, '', { algorithm: 'aes256', generateLocalKeyId: true });
        return Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary');
    }
    finally {
        pki.privateKeyToAsn1 = savedToAsn1;
        pki.wrapRsaPrivateKey = savedWrap;
        pki.certificateToAsn1 = savedCert;
    }
}
//# sourceMappingURL=pkcs.js.map