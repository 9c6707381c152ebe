// Key Vault data-plane adapter. Reads return the REST bodies Key Vault sent, unmodified (design §2:
// `vault/<cert>/versions.json`, `<version>.json`); the issuer chain is read from the certificate's
// secret, whose private key is dropped the moment the certificates are extracted — it is never
// captured, logged, returned or stored.
import { X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { TerminalError, TransientError } from '../domain/errors.js';
import { Reason } from '../domain/names.js';
import { azureCall, classifyAzureError } from './errors.js';
import { LroKind, encodeResumeToken } from './lro.js';
import { captureResponses, inOperation, lastSuccessful } from './pipeline.js';
const CERTIFICATES_OFFICER = 'Key Vault Certificates Officer (RBAC) or certificate permissions get/list/update/create';
function ctx(operation, vault, name, version, permission) {
    return {
        service: 'keyvault',
        operation,
        resource: `certificate "${name}"${version === undefined ? '' : ` version ${version}`} in vault "${vault}"`,
        permission: permission ?? CERTIFICATES_OFFICER,
    };
}
export function parseRaw(response, what) {
    if (response?.bodyAsText === undefined) {
        throw new TransientError(`no response body captured for ${what}`, Reason.AzureError);
    }
    try {
        return { body: JSON.parse(response.bodyAsText), text: response.bodyAsText };
    }
    catch (err) {
        throw new TransientError(`${what} returned a body that is not JSON`, Reason.AzureError, { cause: err });
    }
}
/** Concatenates the `value` arrays of every 200 page of a captured paged list: `{"value":[…]}`. */
export function mergePages(responses, what) {
    const value = [];
    for (const r of responses) {
        if (r.method !== 'GET' || r.status !== 200)
            continue;
        const page = parseRaw(r, what).body;
        if (Array.isArray(page.value))
            value.push(...page.value);
    }
    const body = { value };
    return { body, text: JSON.stringify(body) };
}
/** "Get certificate versions" [KV-SPEC]: every page, merged into one `{"value":[…]}`. */
export async function listCertificateVersions(clients, vault, name) {
    const c = ctx('listCertificateVersions', vault, name, undefined, 'certificate permission list');
    return azureCall(c, async () => {
        const client = clients.certificates(vault);
        const { responses } = await captureResponses(c.operation, async () => {
            for await (const page of client.listPropertiesOfCertificateVersions(name).byPage())
                void page;
        });
        return mergePages(responses, c.operation);
    });
}
/** "Get certificate" for one version, or the latest when `version` is omitted. */
export async function getCertificate(clients, vault, name, version) {
    const c = ctx('getCertificate', vault, name, version, 'certificate permission get');
    return azureCall(c, async () => {
        const client = clients.certificates(vault);
        const { responses } = await captureResponses(c.operation, () => version === undefined ? client.getCertificate(name) : client.getCertificateVersion(name, version));
        return parseRaw(lastSuccessful(responses), c.operation);
    });
}
/**
 * The issuer chain of one version as PEM (public certificates only, direct issuer first), read from
 * the certificate's secret [KV-CERT]. The secret holds the private key: it is parsed here and only the
 * certificates leave this function. `leafCerBase64` (the bundle's `cer`) identifies the leaf to drop.
 * Empty for a disabled version (its secret cannot be read).
 */
export async function getIssuerChainPem(clients, vault, name, version, leafCerBase64) {
    const c = ctx('getIssuerChain', vault, name, version, 'secret permission get (Key Vault Secrets User)');
    const certificates = await azureCall(c, async () => {
        let secret;
        try {
            // Deliberately outside any capture scope: the response body holds the private key.
            secret = await inOperation(c.operation, () => clients.secrets(vault).getSecret(name, { version }));
        }
        catch (err) {
            // A disabled (e.g. quarantined) version refuses reads [KV-CERT]; no node can install it either.
            if (isSecretDisabled(err))
                return undefined;
            throw err;
        }
        return extractCertificates(secret.value ?? '', secret.properties.contentType);
    });
    if (certificates === undefined)
        return '';
    return issuerChain(certificates, leafCerBase64 === undefined ? undefined : Buffer.from(leafCerBase64, 'base64'))
        .map((x) => x.toString().trim())
        .join('\n')
        .concat(certificates.length > 1 ? '\n' : '');
}
/**
 * Key Vault's 403 for a read of a disabled version: `{error:{code:"Forbidden", innererror:{code:"SecretDisabled"}}}`,
 * kept as text (`response.bodyAsText`) or parsed (`details.error.innerError`, modular clients).
 */
export function isSecretDisabled(err) {
    const e = err;
    if (e?.statusCode !== 403)
        return false;
    const parsedDetails = e.details;
    if (parsedDetails?.error?.innerError?.code === 'SecretDisabled')
        return true;
    if (typeof e.response?.bodyAsText !== 'string')
        return false;
    try {
        const body = JSON.parse(e.response.bodyAsText);
        return body.error?.innererror?.code === 'SecretDisabled';
    }
    catch {
        return false;
    }
}
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
/**
 * The X.509 certificates in a Key Vault secret value (PEM bundle or base64 PKCS#12 without password);
 * key material is never returned.
 */
export function extractCertificates(value, contentType) {
    const looksPem = value.includes('-----BEGIN');
    if (contentType === 'application/x-pem-file' || (contentType === undefined && looksPem)) {
        return (value.match(PEM_CERTIFICATE) ?? []).map((pem) => new X509Certificate(pem));
    }
    const der = [];
    try {
        const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.decode64(value)), '');
        const certBag = forge.pki.oids.certBag ?? '1.2.840.113549.1.12.10.1.3';
        const bags = p12.getBags({ bagType: certBag })[certBag] ?? [];
        for (const bag of bags) {
            const asn1 = bag.cert !== undefined && bag.cert !== null ? forge.pki.certificateToAsn1(bag.cert) : bag.asn1;
            if (asn1 !== undefined)
                der.push(Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary'));
        }
    }
    catch (err) {
        // Never include the value (it is key material) in the message.
        throw new TerminalError(`the certificate's secret is neither a PEM bundle nor a password-less PKCS#12 (${contentType ?? 'no content type'}): ${err.message}`, Reason.AzureError);
    }
    return der.map((d) => new X509Certificate(d));
}
/** Orders the non-leaf certificates from the leaf's direct issuer upwards; unlinked ones follow. */
export function issuerChain(certificates, leafDer) {
    if (certificates.length === 0)
        return [];
    const leaf = (leafDer === undefined ? undefined : certificates.find((x) => x.raw.equals(leafDer))) ??
        // Without the bundle's `cer`: the leaf is the certificate that issued none of the others.
        certificates.find((x) => !certificates.some((y) => y !== x && y.checkIssued(x))) ??
        certificates[0];
    const rest = certificates.filter((x) => x !== leaf && (leafDer === undefined || !x.raw.equals(leafDer)));
    const ordered = [];
    let current = leaf;
    while (current !== undefined) {
        const child = current;
        const parent = rest.find((x) => !ordered.includes(x) && child.checkIssued(x) && x !== child);
        if (parent === undefined)
            break;
        ordered.push(parent);
        current = parent === child ? undefined : parent;
    }
    return [...ordered, ...rest.filter((x) => !ordered.includes(x))];
}
// ---- writes ----
/** Quarantine: disable one version so the KeyVault VM extension cannot install it [KV-CERT]. */
export async function disableCertificateVersion(clients, vault, name, version) {
    const c = ctx('disableCertificateVersion', vault, name, version, 'certificate permission update');
    await azureCall(c, () => inOperation(c.operation, () => clients.certificates(vault).updateCertificateProperties(name, version, { enabled: false })));
}
export async function updateCertificatePolicy(clients, vault, name, policy) {
    const c = ctx('updateCertificatePolicy', vault, name, undefined, 'certificate permission update');
    await azureCall(c, () => inOperation(c.operation, () => clients.certificates(vault).updateCertificatePolicy(name, policy)));
}
/**
 * Starts "create certificate" with `policy` [KV-CREATE]; the new version appears when it completes. When
 * a creation is already pending (Key Vault answers 409, e.g. this step started before an operator
 * restart), the handle follows that operation instead of failing.
 */
export async function beginCreateCertificate(clients, vault, name, policy) {
    const c = ctx('createCertificate', vault, name, undefined, 'certificate permission create');
    const poller = await azureCall(c, async () => {
        try {
            return await inOperation(c.operation, () => clients.certificates(vault).beginCreateCertificate(name, policy, pollerOptions(clients)));
        }
        catch (err) {
            if (err.statusCode !== 409)
                throw err;
            return resumedPoller(clients, vault, name);
        }
    });
    return createHandle(poller, { vault, name }, c);
}
/** Rebuilds the handle of a pending creation from its resume-token state. */
export async function resumeCreateCertificate(clients, state) {
    const parsed = JSON.parse(state);
    const c = ctx('createCertificate', parsed.vault, parsed.name);
    const poller = await azureCall(c, () => resumedPoller(clients, parsed.vault, parsed.name));
    return createHandle(poller, parsed, c);
}
function pollerOptions(clients) {
    return clients.lroIntervalMs === undefined ? {} : { intervalInMs: clients.lroIntervalMs };
}
// Never sent: a resumed create poller starts at "started" and only reads the pending operation.
const RESUME_ONLY_POLICY = { subject: 'CN=resume-only' };
/**
 * The create poller resumed at "started": it polls `GET …/pending` and reads the certificate once the
 * operation left `inProgress`. (`getCertificateOperation` would read the certificate first, which a
 * brand-new name does not have yet while pending.)
 */
function resumedPoller(clients, vault, name) {
    return inOperation('getCertificateOperation', () => clients.certificates(vault).beginCreateCertificate(name, RESUME_ONLY_POLICY, {
        ...pollerOptions(clients),
        resumeFrom: JSON.stringify({ state: { certificateName: name, isStarted: true } }),
    }));
}
function createHandle(poller, state, c) {
    const resumeToken = encodeResumeToken({
        kind: LroKind.CertificateCreate,
        state: JSON.stringify(state),
        resource: c.resource ?? '',
    });
    const progress = () => {
        const s = poller.getOperationState();
        if (!s.isCompleted)
            return { state: 'running', resumeToken };
        if (s.error !== undefined) {
            return {
                state: 'failed',
                resumeToken,
                error: new TransientError(`Key Vault could not issue ${c.resource}: ${s.error.message}`, Reason.AzureError),
            };
        }
        return { state: 'succeeded', resumeToken };
    };
    // The operation ended but no version exists (a failed first issuance): the SDK's final certificate read
    // 404s and hides why, so the reason is taken from the pending operation's own body [KV-SPEC].
    const failedWithoutCertificate = (err, responses) => {
        const classified = classifyAzureError(err, c);
        if (classified.reason !== Reason.ResourceNotFound)
            return undefined;
        const reason = pendingOperationError(responses) ?? classified.message;
        return {
            state: 'failed',
            resumeToken,
            error: new TransientError(`Key Vault could not issue ${c.resource}: ${reason}`, Reason.AzureError),
        };
    };
    const run = async (fn) => {
        let failure;
        const { responses } = await captureResponses('getCertificateOperation', async () => {
            try {
                await fn();
            }
            catch (err) {
                failure = err;
            }
        });
        if (failure === undefined)
            return undefined;
        const failed = failedWithoutCertificate(failure, responses);
        if (failed !== undefined)
            return failed;
        throw classifyAzureError(failure, c);
    };
    return {
        kind: LroKind.CertificateCreate,
        resumeToken,
        async poll() {
            if (!poller.isDone()) {
                const failed = await run(() => poller.poll());
                if (failed !== undefined)
                    return failed;
            }
            return progress();
        },
        async wait() {
            const failed = await run(() => poller.pollUntilDone());
            if (failed?.error !== undefined)
                throw failed.error;
            const p = progress();
            if (p.error !== undefined)
                throw p.error;
        },
    };
}
/** `error.message` (with its code) of the last captured `GET …/pending` answer, if the operation failed. */
export function pendingOperationError(responses) {
    for (let i = responses.length - 1; i >= 0; i--) {
        const r = responses[i];
        if (r === undefined || r.method !== 'GET' || r.status !== 200 || r.bodyAsText === undefined)
            continue;
        if (!/\/pending$/i.test(new URL(r.url).pathname))
            continue;
        try {
            const body = JSON.parse(r.bodyAsText);
            if (body.error === undefined)
                return undefined;
            const code = typeof body.error.code === 'string' ? body.error.code : undefined;
            const message = typeof body.error.message === 'string' ? body.error.message : undefined;
            return code !== undefined && message !== undefined ? `${code}: ${message}` : (message ?? code);
        }
        catch {
            return undefined;
        }
    }
    return undefined;
}
//# sourceMappingURL=keyvault.js.map