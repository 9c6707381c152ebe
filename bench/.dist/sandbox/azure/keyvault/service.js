// Key Vault data plane (`https://{vault}.vault.azure.net`) as @azure/keyvault-certificates 4.10.3 and
// @azure/keyvault-secrets 4.11.2 call it. Shapes follow the REST spec [KV-SPEC] (CertificateBundle,
// CertificateItem, CertificateOperation, CertificatePolicy, SecretBundle, KeyVaultError) and the SDKs'
// deserializers. Authentication (401 challenge) and `api-version` checks happen in the server before a
// handler runs; authorisation (access policies or RBAC) happens here, per operation.
import { json, vaultError } from '../router.js';
import { VaultOperationError, normalisePolicy } from './engine.js';
import { vaultResourceId, vaultUri } from './store.js';
const RECOVERY = { recoveryLevel: 'Recoverable+Purgeable', recoverableDays: 90 };
const DEFAULT_PAGE_SIZE = 25;
const secs = (d) => Math.floor(d.getTime() / 1000);
export function registerVaultService({ router, vaults, engine, clock, pageSize = DEFAULT_PAGE_SIZE, }) {
    const page = (ctx, vault, path, items, map) => pageOf(ctx, vault, path, items, map, pageSize);
    /** Resolves the vault from the host name and checks the caller's permission first. */
    const guarded = (permission, handler) => (ctx) => {
        const vault = vaults.getVault(ctx.hostName);
        if (!vault)
            return vaultError(404, 'VaultNotFound', `Vault not found: ${ctx.hostName}`);
        const principal = ctx.principal;
        if (!vaults.allows(vault.name, principal.objectId, permission))
            return forbidden(vault, ctx, permission);
        try {
            return handler(ctx, vault);
        }
        catch (err) {
            if (err instanceof VaultOperationError)
                return vaultError(err.status, err.code, err.message);
            throw err;
        }
    };
    const reg = (method, path, operation, permission, handler, vaultClass = 'all') => router.register(method, 'vault', path, guarded(permission, handler), {
        operation: `KeyVault/${operation}`,
        vaultClass,
    });
    // ---- certificates -------------------------------------------------------------------------------
    reg('POST', '/certificates/:name/create', 'CertificateCreate', { certificates: 'create' }, (ctx, vault) => {
        const body = asObject(ctx.body);
        const policy = body['policy'];
        const attrs = asObject(body['attributes']);
        const op = engine.beginCreate(vault.name, ctx.params['name'], policy, {
            ...(isStringMap(body['tags']) ? { tags: body['tags'] } : {}),
            ...(typeof attrs['enabled'] === 'boolean' ? { enabled: attrs['enabled'] } : {}),
        });
        const cert = vault.certificates.get(ctx.params['name'].toLowerCase());
        return json(202, operationBody(vault, cert, op), {
            Location: `${vaultUri(vault.name)}certificates/${cert.name}/pending?api-version=${ctx.query.get('api-version') ?? ''}&request_id=${op.requestId}`,
            'Retry-After': '10',
        });
    }, 'create');
    reg('POST', '/certificates/:name/import', 'CertificateImport', { certificates: 'import' }, (ctx, vault) => {
        const body = asObject(ctx.body);
        if (typeof body['value'] !== 'string')
            throw new VaultOperationError(400, 'BadParameter', 'Property value is required.');
        const attrs = asObject(body['attributes']);
        const record = engine.importCertificate(vault.name, ctx.params['name'], {
            value: body['value'],
            ...(typeof body['pwd'] === 'string' ? { password: body['pwd'] } : {}),
            ...(body['policy'] ? { policy: body['policy'] } : {}),
            ...(typeof attrs['enabled'] === 'boolean' ? { enabled: attrs['enabled'] } : {}),
            ...(isStringMap(body['tags']) ? { tags: body['tags'] } : {}),
        });
        const cert = vault.certificates.get(ctx.params['name'].toLowerCase());
        return json(200, bundleBody(vault, cert, record));
    }, 'create');
    reg('GET', '/certificates/:name/pending', 'CertificateOperationGet', { certificates: 'get' }, (ctx, vault) => {
        engine.tick();
        const cert = vault.certificates.get(ctx.params['name'].toLowerCase());
        if (!cert?.pending)
            return pendingNotFound(ctx.params['name']);
        return json(200, operationBody(vault, cert, cert.pending));
    });
    reg('PATCH', '/certificates/:name/pending', 'CertificateOperationUpdate', { certificates: 'update' }, (ctx, vault) => {
        const cert = vault.certificates.get(ctx.params['name'].toLowerCase());
        if (!cert?.pending)
            return pendingNotFound(ctx.params['name']);
        if (asObject(ctx.body)['cancellation_requested'] === true)
            engine.cancel(vault.name, cert.name);
        return json(200, operationBody(vault, cert, cert.pending));
    });
    reg('DELETE', '/certificates/:name/pending', 'CertificateOperationDelete', { certificates: 'delete' }, (ctx, vault) => {
        const cert = vault.certificates.get(ctx.params['name'].toLowerCase());
        const op = cert?.pending;
        if (!cert || !op)
            return pendingNotFound(ctx.params['name']);
        delete cert.pending;
        return json(200, operationBody(vault, cert, op));
    });
    reg('GET', '/certificates/:name/policy', 'CertificatePolicyGet', { certificates: 'get' }, (ctx, vault) => {
        const cert = findCert(vault, ctx.params['name']);
        return json(200, policyBody(vault, cert));
    });
    reg('PATCH', '/certificates/:name/policy', 'CertificatePolicyUpdate', { certificates: 'update' }, (ctx, vault) => {
        const cert = findCert(vault, ctx.params['name']);
        cert.policy = mergePolicy(cert.policy, asObject(ctx.body));
        cert.policyUpdated = clock.now();
        return json(200, policyBody(vault, cert));
    });
    reg('GET', '/certificates/:name/versions', 'CertificateVersionsList', { certificates: 'list' }, (ctx, vault) => {
        const cert = findCert(vault, ctx.params['name']);
        return json(200, page(ctx, vault, `certificates/${cert.name}/versions`, cert.versions, (v) => ({
            id: `${vaultUri(vault.name)}certificates/${cert.name}/${v.version}`,
            x5t: v.x5t,
            attributes: attributes(v),
            tags: v.tags,
        })));
    });
    reg('GET', '/certificates/:name', 'CertificateGet', { certificates: 'get' }, (ctx, vault) => {
        engine.tick();
        const cert = findCert(vault, ctx.params['name']);
        return json(200, bundleBody(vault, cert, latestOf(cert)));
    });
    reg('GET', '/certificates/:name/:version', 'CertificateGet', { certificates: 'get' }, (ctx, vault) => {
        engine.tick();
        const cert = findCert(vault, ctx.params['name']);
        return json(200, bundleBody(vault, cert, findVersion(cert, ctx.params['version'])));
    });
    const updateProperties = (ctx, vault) => {
        const cert = findCert(vault, ctx.params['name']);
        const version = ctx.params['version'] ? findVersion(cert, ctx.params['version']) : latestOf(cert);
        const body = asObject(ctx.body);
        const attrs = asObject(body['attributes']);
        if (typeof attrs['enabled'] === 'boolean')
            version.enabled = attrs['enabled'];
        if (isStringMap(body['tags']))
            version.tags = body['tags'];
        if (body['policy']) {
            cert.policy = mergePolicy(cert.policy, body['policy']);
            cert.policyUpdated = clock.now();
        }
        version.updated = clock.now();
        return json(200, bundleBody(vault, cert, version));
    };
    reg('PATCH', '/certificates/:name', 'CertificateUpdate', { certificates: 'update' }, updateProperties);
    reg('PATCH', '/certificates/:name/:version', 'CertificateUpdate', { certificates: 'update' }, updateProperties);
    reg('GET', '/certificates', 'CertificateList', { certificates: 'list' }, (ctx, vault) => {
        const certs = [...vault.certificates.values()].filter((c) => c.versions.length > 0);
        return json(200, page(ctx, vault, 'certificates', certs, (c) => {
            const v = latestOf(c);
            return {
                id: `${vaultUri(vault.name)}certificates/${c.name}`,
                x5t: v.x5t,
                attributes: attributes(v),
                tags: c.tags,
            };
        }));
    });
    // ---- secrets (certificate-backed) ---------------------------------------------------------------
    const getSecret = (ctx, vault) => {
        const name = ctx.params['name'];
        const result = vaults.getSecret(vault.name, name, ctx.params['version'] || undefined);
        if (!result.ok) {
            if (result.code === 'SecretDisabled') {
                // Key Vault refuses reads of a disabled version [KV-CERT].
                return vaultError(403, 'Forbidden', 'Operation get is not allowed on a disabled secret.', 'SecretDisabled');
            }
            return vaultError(404, 'SecretNotFound', `A secret with (name/id) ${name}${ctx.params['version'] ? `/${ctx.params['version']}` : ''} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`);
        }
        const s = result.secret;
        const cert = s.certificate;
        return json(200, {
            value: s.value,
            contentType: s.contentType,
            id: s.id,
            managed: true,
            kid: cert.keyId,
            attributes: {
                enabled: cert.enabled,
                nbf: secs(cert.notBefore),
                exp: secs(cert.notAfter),
                created: secs(cert.created),
                updated: secs(cert.updated),
                ...RECOVERY,
            },
            tags: {},
        });
    };
    reg('GET', '/secrets/:name', 'SecretGet', { secrets: 'get' }, getSecret);
    reg('GET', '/secrets/:name/:version', 'SecretGet', { secrets: 'get' }, getSecret);
    reg('GET', '/secrets/:name/versions', 'SecretVersionsList', { secrets: 'list' }, (ctx, vault) => {
        const cert = vault.certificates.get(ctx.params['name'].toLowerCase());
        const versions = cert?.versions ?? [];
        return json(200, page(ctx, vault, `secrets/${ctx.params['name']}/versions`, versions, (v) => ({
            id: `${vaultUri(vault.name)}secrets/${cert.name}/${v.version}`,
            contentType: v.contentType,
            managed: true,
            attributes: attributes(v),
            tags: v.tags,
        })));
    });
}
// ---- bodies ----------------------------------------------------------------------------------------
function attributes(v) {
    return {
        enabled: v.enabled,
        nbf: secs(v.notBefore),
        exp: secs(v.notAfter),
        created: secs(v.created),
        updated: secs(v.updated),
        ...RECOVERY,
    };
}
function policyBody(vault, cert) {
    const p = normalisePolicy(cert.policy);
    return {
        id: `${vaultUri(vault.name)}certificates/${cert.name}/policy`,
        key_props: p.key_props,
        secret_props: p.secret_props,
        x509_props: p.x509_props,
        lifetime_actions: p.lifetime_actions,
        issuer: p.issuer,
        attributes: { enabled: true, created: secs(cert.policyCreated), updated: secs(cert.policyUpdated) },
    };
}
function bundleBody(vault, cert, v) {
    const base = vaultUri(vault.name);
    return {
        id: `${base}certificates/${cert.name}/${v.version}`,
        kid: `${base}keys/${cert.name}/${v.version}`,
        sid: `${base}secrets/${cert.name}/${v.version}`,
        x5t: v.x5t,
        cer: v.der.toString('base64'),
        attributes: attributes(v),
        policy: policyBody(vault, cert),
        tags: v.tags,
    };
}
function operationBody(vault, cert, op) {
    const body = {
        id: `${vaultUri(vault.name)}certificates/${cert.name}/pending`,
        issuer: { name: op.issuerName },
        csr: op.csr.toString('base64'),
        cancellation_requested: op.cancellationRequested,
        status: op.status,
        request_id: op.requestId,
    };
    if (op.statusDetails)
        body['status_details'] = op.statusDetails;
    if (op.error)
        body['error'] = { code: op.error.code, message: op.error.message };
    if (op.status === 'completed')
        body['target'] = `${vaultUri(vault.name)}certificates/${cert.name}`;
    return body;
}
function pageOf(ctx, vault, path, items, map, pageSize) {
    const max = Math.min(Math.max(Number(ctx.query.get('maxresults') ?? pageSize) || pageSize, 1), pageSize);
    const skip = Number(ctx.query.get('$skiptoken') ?? 0) || 0;
    const slice = items.slice(skip, skip + max);
    const next = skip + max < items.length;
    return {
        value: slice.map(map),
        nextLink: next
            ? `${vaultUri(vault.name)}${path}?api-version=${encodeURIComponent(ctx.query.get('api-version') ?? '')}&$skiptoken=${skip + max}&maxresults=${max}`
            : null,
    };
}
function mergePolicy(current, patch) {
    return {
        ...current,
        ...(patch.key_props ? { key_props: { ...current.key_props, ...patch.key_props } } : {}),
        ...(patch.secret_props ? { secret_props: { ...current.secret_props, ...patch.secret_props } } : {}),
        ...(patch.x509_props ? { x509_props: { ...current.x509_props, ...patch.x509_props } } : {}),
        ...(patch.lifetime_actions ? { lifetime_actions: patch.lifetime_actions } : {}),
        ...(patch.issuer ? { issuer: { ...current.issuer, ...patch.issuer } } : {}),
    };
}
// ---- lookups and errors -------------------------------------------------------------------------------
function findCert(vault, name) {
    const cert = vault.certificates.get(name.toLowerCase());
    if (!cert || cert.versions.length === 0) {
        throw new VaultOperationError(404, 'CertificateNotFound', `A certificate with (name/id) ${name} was not found in this key vault. If you recently deleted this certificate you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`);
    }
    return cert;
}
function latestOf(cert) {
    return cert.versions[cert.versions.length - 1];
}
function findVersion(cert, version) {
    const v = cert.versions.find((x) => x.version.toLowerCase() === version.toLowerCase());
    if (!v) {
        throw new VaultOperationError(404, 'CertificateNotFound', `A certificate with (name/id) ${cert.name}/${version} was not found in this key vault.`);
    }
    return v;
}
function pendingNotFound(name) {
    return vaultError(404, 'PendingCertificateNotFound', `Pending certificate not found: ${name}`);
}
function forbidden(vault, ctx, permission) {
    const p = ctx.principal;
    const [kind, perm] = 'secrets' in permission ? ['secrets', permission.secrets] : ['certificates', permission.certificates];
    if (vault.enableRbacAuthorization) {
        const action = kind === 'secrets'
            ? perm === 'get'
                ? 'secrets/getSecret/action'
                : 'secrets/readMetadata/action'
            : `certificates/${perm === 'get' || perm === 'list' ? 'read' : perm}/action`;
        return vaultError(403, 'Forbidden', `Caller is not authorized to perform action on resource.\r\nIf role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\r\nCaller: appid=${p.appId};oid=${p.objectId};iss=https://sts.windows.net/${p.tenantId}/\r\nAction: 'Microsoft.KeyVault/vaults/${action}'\r\nResource: '${vaultResourceId(vault).toLowerCase()}'\r\nAssignment: (not found)\r\nVault: ${vault.name};location=${vault.location}\r\n`, 'ForbiddenByRbac');
    }
    return vaultError(403, 'Forbidden', `The user, group or application 'appid=${p.appId};oid=${p.objectId};iss=https://sts.windows.net/${p.tenantId}/' does not have ${kind} ${perm} permission on key vault '${vault.name};location=${vault.location}'. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287`, 'AccessDenied');
}
function asObject(v) {
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : {};
}
function isStringMap(v) {
    return (v !== null &&
        typeof v === 'object' &&
        !Array.isArray(v) &&
        Object.values(v).every((x) => typeof x === 'string'));
}
//# sourceMappingURL=service.js.map