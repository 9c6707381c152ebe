// Simulated certificate authorities: a root and intermediates that sign on the virtual clock. Vault
// issuer objects name a CA (e.g. issuer "kvr-issuer" → "Sandbox Intermediate A"), so a certificate
// policy's `issuer.name` picks the CA that signs it; switching an issuer to another intermediate models
// a CA rotating its issuing intermediate (hazard 2 in azure.md).
// CA keys are EC P-256 (instant to generate); leaf keys follow the policy. RSA key generation costs
// ~250 ms on this hardware (test-substrate §5), so RSA leaf keys come from a small pool that is filled
// in the background and reused across certificates (a re-key never reuses the previous version's key).
import { createHash, createPrivateKey, createPublicKey, generateKeyPair, randomBytes, webcrypto, } from 'node:crypto';
import { promisify } from 'node:util';
import * as x509 from '@peculiar/x509';
x509.cryptoProvider.set(webcrypto);
const generateKeyPairAsync = promisify(generateKeyPair);
const subtle = webcrypto.subtle;
const EC_SIGN = { name: 'ECDSA', hash: 'SHA-256' };
const RSA_IMPORT = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
export const EKU_SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
export const EKU_CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const KEY_USAGE_FLAGS = {
    digitalsignature: x509.KeyUsageFlags.digitalSignature,
    nonrepudiation: x509.KeyUsageFlags.nonRepudiation,
    keyencipherment: x509.KeyUsageFlags.keyEncipherment,
    dataencipherment: x509.KeyUsageFlags.dataEncipherment,
    keyagreement: x509.KeyUsageFlags.keyAgreement,
    keycertsign: x509.KeyUsageFlags.keyCertSign,
    crlsign: x509.KeyUsageFlags.cRLSign,
    encipheronly: x509.KeyUsageFlags.encipherOnly,
    decipheronly: x509.KeyUsageFlags.decipherOnly,
};
export function sha1Hex(der) {
    return createHash('sha1').update(der).digest('hex').toUpperCase();
}
export function x5tOf(der) {
    return createHash('sha1').update(der).digest('base64url');
}
export function addMonths(date, months) {
    const d = new Date(date.getTime());
    d.setUTCMonth(d.getUTCMonth() + months);
    return d;
}
function serial() {
    // Positive 16-byte serial.
    const b = randomBytes(16);
    b[0] = b[0] & 0x7f;
    return b.toString('hex');
}
export async function generateRsaPkcs8() {
    const { privateKey } = await generateKeyPairAsync('rsa', { modulusLength: 2048 });
    return privateKey.export({ format: 'der', type: 'pkcs8' });
}
export async function generateEcPkcs8(curve = 'P-256') {
    const named = curve === 'P-256' ? 'prime256v1' : curve === 'P-384' ? 'secp384r1' : 'secp521r1';
    const { privateKey } = await generateKeyPairAsync('ec', { namedCurve: named });
    return privateKey.export({ format: 'der', type: 'pkcs8' });
}
async function publicCryptoKey(pkcs8, keyType) {
    const spki = createPublicKey(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })).export({
        format: 'der',
        type: 'spki',
    });
    if (keyType === 'RSA')
        return subtle.importKey('spki', spki, RSA_IMPORT, true, ['verify']);
    const curve = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).asymmetricKeyDetails
        ?.namedCurve;
    const namedCurve = curve === 'secp384r1' ? 'P-384' : curve === 'secp521r1' ? 'P-521' : 'P-256';
    return subtle.importKey('spki', spki, { name: 'ECDSA', namedCurve }, true, ['verify']);
}
function dnsNamesOf(cert) {
    const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
    return san ? san.names.items.filter((n) => n.type === 'dns').map((n) => n.value) : [];
}
export class CaRegistry {
    clock;
    cas = new Map();
    rsaPool;
    poolCursor = 0;
    filling;
    constructor(clock, rsaKeyPool = []) {
        this.clock = clock;
        this.rsaPool = [...rsaKeyPool];
    }
    /** Fills the RSA key pool up to `size` keys (in parallel; about 250 ms of CPU per key). */
    async fillRsaPool(size = 3) {
        const missing = Math.max(0, size - this.rsaPool.length);
        const keys = await Promise.all(Array.from({ length: missing }, () => generateRsaPkcs8()));
        this.rsaPool.push(...keys);
    }
    /** The RSA keys of the pool (PKCS#8 DER), e.g. to hand to the next sandbox of a test run. */
    rsaKeys() {
        return this.rsaPool;
    }
    async createRoot(name, opts = {}) {
        return this.createCa(name, undefined, opts);
    }
    async createIntermediate(parentId, name, opts = {}) {
        return this.createCa(name, parentId, opts);
    }
    get(id) {
        return this.cas.get(id);
    }
    all() {
        return [...this.cas.values()];
    }
    byThumbprint(thumbprint) {
        const t = thumbprint.toUpperCase();
        return this.all().find((c) => c.thumbprint === t);
    }
    async createCa(name, parentId, opts) {
        const parent = parentId ? this.cas.get(parentId) : undefined;
        if (parentId && !parent)
            throw new Error(`unknown CA ${parentId}`);
        const keys = await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
        // Backdated by a day so certificates issued "now" sit inside the CA's validity.
        const notBefore = opts.notBefore ?? new Date(this.clock.now().getTime() - 86_400_000);
        const notAfter = addMonths(notBefore, 12 * (opts.years ?? (parent ? 10 : 20)));
        const extensions = [
            new x509.BasicConstraintsExtension(true, parent ? 0 : undefined, true),
            new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
            await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
        ];
        let cert;
        if (parent) {
            const parentCert = new x509.X509Certificate(parent.der);
            extensions.push(await x509.AuthorityKeyIdentifierExtension.create(parentCert));
            cert = await x509.X509CertificateGenerator.create({
                serialNumber: serial(),
                subject: `CN=${name}, O=kv-rollover sandbox`,
                issuer: parentCert.subject,
                notBefore,
                notAfter,
                signingAlgorithm: EC_SIGN,
                publicKey: keys.publicKey,
                signingKey: parent.privateKey,
                extensions,
            });
        }
        else {
            cert = await x509.X509CertificateGenerator.createSelfSigned({
                serialNumber: serial(),
                name: `CN=${name}, O=kv-rollover sandbox`,
                notBefore,
                notAfter,
                signingAlgorithm: EC_SIGN,
                keys,
                extensions,
            });
        }
        const der = Buffer.from(cert.rawData);
        const record = {
            id: opts.id ?? name,
            name,
            der,
            thumbprint: sha1Hex(der),
            parentId,
            chain: [der, ...(parent?.chain ?? [])],
            notBefore,
            notAfter,
            privateKey: keys.privateKey,
        };
        this.cas.set(record.id, record);
        return record;
    }
    /**
     * Chooses the key pair for a request and makes the PKCS#10 CSR Key Vault reports in the pending
     * operation [KV-SPEC CertificateOperation.csr]. Issue with `reuseKey: keyPkcs8` to sign that key.
     */
    async prepareRequest(req) {
        const keyPkcs8 = await this.leafKey(req);
        const publicKey = await publicCryptoKey(keyPkcs8, req.keyType);
        const algorithm = req.keyType === 'RSA'
            ? RSA_IMPORT
            : { name: 'ECDSA', namedCurve: publicKey.algorithm.namedCurve };
        const privateKey = await subtle.importKey('pkcs8', keyPkcs8, algorithm, false, ['sign']);
        const extensions = [];
        if (req.dnsNames && req.dnsNames.length > 0) {
            extensions.push(new x509.SubjectAlternativeNameExtension(req.dnsNames.map((value) => ({ type: 'dns', value }))));
        }
        const csr = await x509.Pkcs10CertificateRequestGenerator.create({
            name: req.subject,
            keys: { privateKey, publicKey },
            signingAlgorithm: req.keyType === 'RSA' ? RSA_IMPORT : EC_SIGN,
            extensions,
        });
        return { keyPkcs8, csr: Buffer.from(csr.rawData) };
    }
    /** A key for a leaf: the reused key, or the next pool/EC key that differs from `avoidKey`. */
    async leafKey(req) {
        if (req.reuseKey)
            return req.reuseKey;
        if (req.keyType === 'EC')
            return generateEcPkcs8(req.curve);
        if (this.rsaPool.length < 2) {
            this.filling ??= this.fillRsaPool(2).finally(() => {
                this.filling = undefined;
            });
            await this.filling;
        }
        for (let i = 0; i < this.rsaPool.length; i++) {
            const key = this.rsaPool[this.poolCursor++ % this.rsaPool.length];
            if (!req.avoidKey || !key.equals(req.avoidKey))
                return key;
        }
        return generateRsaPkcs8();
    }
    /**
     * Issues a leaf signed by CA `caId`, or self-signed when `caId` is `'Self'`. Validity starts at
     * `req.notBefore` (default: virtual now) and lasts `validityMonths`.
     */
    async issueLeaf(caId, req) {
        const selfSigned = caId === 'Self';
        const ca = selfSigned ? undefined : this.cas.get(caId);
        if (!selfSigned && !ca)
            throw new Error(`unknown CA ${caId}`);
        const keyPkcs8 = await this.leafKey(req);
        const publicKey = await publicCryptoKey(keyPkcs8, req.keyType);
        const notBefore = req.notBefore ?? this.clock.now();
        const notAfter = addMonths(notBefore, req.validityMonths);
        let usage = 0;
        for (const u of req.keyUsage ?? ['digitalSignature', 'keyEncipherment'])
            usage |= KEY_USAGE_FLAGS[u.toLowerCase()] ?? 0;
        const extensions = [
            new x509.BasicConstraintsExtension(false, undefined, true),
            new x509.KeyUsagesExtension(usage, true),
            new x509.ExtendedKeyUsageExtension([...(req.ekus ?? [EKU_SERVER_AUTH, EKU_CLIENT_AUTH])]),
            await x509.SubjectKeyIdentifierExtension.create(publicKey),
        ];
        if (req.dnsNames && req.dnsNames.length > 0) {
            extensions.push(new x509.SubjectAlternativeNameExtension(req.dnsNames.map((value) => ({ type: 'dns', value }))));
        }
        let signingKey;
        let issuerName;
        let signingAlgorithm;
        if (ca) {
            const caCert = new x509.X509Certificate(ca.der);
            extensions.push(await x509.AuthorityKeyIdentifierExtension.create(caCert));
            signingKey = ca.privateKey;
            issuerName = caCert.subject;
            signingAlgorithm = EC_SIGN;
        }
        else {
            signingKey = await subtle.importKey('pkcs8', keyPkcs8, req.keyType === 'RSA'
                ? RSA_IMPORT
                : { name: 'ECDSA', namedCurve: publicKey.algorithm.namedCurve }, false, ['sign']);
            issuerName = req.subject;
            signingAlgorithm = req.keyType === 'RSA' ? RSA_IMPORT : EC_SIGN;
        }
        const cert = await x509.X509CertificateGenerator.create({
            serialNumber: serial(),
            subject: req.subject,
            issuer: issuerName,
            notBefore,
            notAfter,
            signingAlgorithm,
            publicKey,
            signingKey,
            extensions,
        });
        const der = Buffer.from(cert.rawData);
        const thumbprint = sha1Hex(der);
        return {
            der,
            chain: ca ? ca.chain : [],
            keyPkcs8,
            keyType: req.keyType,
            thumbprint,
            x5t: x5tOf(der),
            issuerThumbprint: ca ? ca.thumbprint : thumbprint,
            subject: cert.subject,
            dnsNames: dnsNamesOf(cert),
            notBefore,
            notAfter,
        };
    }
}
/** Parses an imported certificate's public facts (subject, SANs, validity, issuer) from DER. */
export function describeCertificate(der) {
    const cert = new x509.X509Certificate(der);
    return {
        subject: cert.subject,
        issuer: cert.issuer,
        dnsNames: dnsNamesOf(cert),
        notBefore: cert.notBefore,
        notAfter: cert.notAfter,
    };
}
//# sourceMappingURL=ca.js.map