/** First CN of an RFC 4514-style subject ("CN=a, O=b"); undefined when none. */
export function commonNameOfSubject(subject) {
    for (const part of subject.split(/,(?=\s*[A-Za-z0-9.]+=)/)) {
        const [attr, ...rest] = part.split('=');
        if (attr?.trim().toUpperCase() === 'CN')
            return rest.join('=').trim();
    }
    return undefined;
}
export class AzureVaultPort {
    azure;
    options;
    constructor(azure, options = {}) {
        this.azure = azure;
        this.options = options;
    }
    readSecret(vault, name, version, caller) {
        const record = this.azure.vaults.getVault(vault);
        if (record === undefined)
            return { ok: false, failure: 'VaultNotFound', message: `Vault ${vault} not found.` };
        if (caller.kind === 'deployment') {
            if (this.options.notEnabledForDeployment?.has(vault.toLowerCase())) {
                return {
                    ok: false,
                    failure: 'NotEnabledForDeployment',
                    message: `Vault ${vault} is not enabled for deployment.`,
                };
            }
        }
        else {
            const principal = this.azure.identities.byClientId(caller.clientId);
            if (principal === undefined) {
                return { ok: false, failure: 'Forbidden', message: `No identity with client id ${caller.clientId}.` };
            }
            // The extension lists versions and gets the secret: both permissions are needed [KVW-24][KVL-25].
            if (!this.azure.vaults.canReadSecrets(vault, principal.objectId)) {
                return {
                    ok: false,
                    failure: 'Forbidden',
                    message: `The user, group or application 'appid=${principal.clientId};oid=${principal.objectId}' does not have secrets get/list permission on key vault '${vault}'.`,
                };
            }
        }
        const read = this.azure.vaults.getSecret(vault, name, version);
        if (!read.ok) {
            const what = version === undefined ? name : `${name}/${version}`;
            return {
                ok: false,
                failure: read.code,
                message: read.code === 'SecretDisabled'
                    ? `Operation get is not allowed on a disabled secret (${what}).`
                    : `Secret not found: ${what}`,
            };
        }
        const view = read.secret.certificate;
        const versionRecord = this.azure.vaults
            .getCertificate(vault, name)
            ?.versions.find((v) => v.version === view.version);
        const selfSigned = view.issuerThumbprint.toUpperCase() === view.thumbprint.toUpperCase();
        const certificate = {
            thumbprint: view.thumbprint.toUpperCase(),
            commonName: commonNameOfSubject(view.subject),
            dnsNames: [...view.dnsNames],
            notBefore: view.notBefore,
            notAfter: view.notAfter,
            issuerThumbprint: view.issuerThumbprint.toUpperCase(),
            selfSigned,
            // Every simulated node trusts the sandbox's root CA; a self-signed leaf chains to nothing trusted.
            chainsToTrustedRoot: !selfSigned,
        };
        return {
            ok: true,
            secret: {
                vault: view.vaultName.toLowerCase(),
                name: view.name,
                version: view.version,
                enabled: view.enabled,
                hasPrivateKey: versionRecord?.exportable ?? true,
                certificate,
            },
        };
    }
    identity(resourceId) {
        const principal = this.azure.identities.byResourceId(resourceId);
        if (principal === undefined)
            return undefined;
        return { resourceId, clientId: principal.clientId, principalId: principal.objectId };
    }
}
//# sourceMappingURL=azure-vault-port.js.map