// Microsoft Entra ID (AAD) endpoints that @azure/identity 4.13.1 (MSAL Node) calls
// (test-substrate §4): instance discovery, the tenant's OpenID configuration, and the v2.0 token
// endpoint with the client-credentials grant — client secret, or a federated client assertion
// (workload identity). Errors carry AAD's codes (AADSTS…) so credential errors read as in Azure.
import { aadError, json } from '../router.js';
import { audienceFromScope, decodeJwtPayload } from './tokens.js';
const LOGIN_HOST = 'login.microsoftonline.com';
export function registerAad(router, identities, tokens) {
    const open = { auth: false };
    router.register('GET', 'login', '/common/discovery/instance', (ctx) => json(200, {
        tenant_discovery_endpoint: `${ctx.baseUrl}/${tenantFromAuthorizeEndpoint(ctx) ?? 'common'}/v2.0/.well-known/openid-configuration`,
        'api-version': '1.1',
        metadata: [
            {
                preferred_network: LOGIN_HOST,
                preferred_cache: 'login.windows.net',
                aliases: [LOGIN_HOST, 'login.windows.net', 'login.microsoft.com', 'sts.windows.net'],
            },
        ],
    }), { ...open, operation: 'AAD/instanceDiscovery' });
    const openIdConfiguration = (ctx) => {
        const tenant = ctx.params['tenant'];
        if (!knownTenant(tenant, tokens.tenantId)) {
            return aadError(400, 'invalid_tenant', `AADSTS90002: Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`, [90002]);
        }
        const base = `${ctx.baseUrl}/${tenant}`;
        return json(200, {
            token_endpoint: `${base}/oauth2/v2.0/token`,
            token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
            jwks_uri: `${ctx.baseUrl}/${tenant}/discovery/v2.0/keys`,
            response_modes_supported: ['query', 'fragment', 'form_post'],
            subject_types_supported: ['pairwise'],
            id_token_signing_alg_values_supported: ['RS256'],
            response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
            scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
            issuer: `${ctx.baseUrl}/${tokens.tenantId}/v2.0`,
            request_uri_parameter_supported: false,
            userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
            authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
            device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
            http_logout_supported: true,
            frontchannel_logout_supported: true,
            end_session_endpoint: `${base}/oauth2/v2.0/logout`,
            claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'tid', 'oid'],
            kerberos_endpoint: `${base}/kerberos`,
            tenant_region_scope: 'EU',
            cloud_instance_name: 'microsoftonline.com',
            cloud_graph_host_name: 'graph.windows.net',
            msgraph_host: 'graph.microsoft.com',
            rbac_url: 'https://pas.windows.net',
        });
    };
    router.register('GET', 'login', '/:tenant/v2.0/.well-known/openid-configuration', openIdConfiguration, {
        ...open,
        operation: 'AAD/openidConfiguration',
    });
    router.register('POST', 'login', '/:tenant/oauth2/v2.0/token', (ctx) => token(ctx, identities, tokens), {
        ...open,
        operation: 'AAD/token',
    });
}
function tenantFromAuthorizeEndpoint(ctx) {
    const endpoint = ctx.query.get('authorization_endpoint');
    if (!endpoint)
        return undefined;
    try {
        return new URL(endpoint).pathname.split('/').filter(Boolean)[0];
    }
    catch {
        return undefined;
    }
}
function knownTenant(tenant, tenantId) {
    const t = tenant.toLowerCase();
    return t === tenantId.toLowerCase() || t === 'organizations' || t === 'common';
}
function token(ctx, identities, tokens) {
    const form = new URLSearchParams(ctx.rawBody.toString('utf8'));
    const tenant = ctx.params['tenant'];
    if (!knownTenant(tenant, tokens.tenantId)) {
        return aadError(400, 'invalid_request', `AADSTS90002: Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`, [90002]);
    }
    if (form.get('grant_type') !== 'client_credentials') {
        return aadError(400, 'unsupported_grant_type', `AADSTS70003: The app requested an unsupported grant type '${form.get('grant_type') ?? ''}'.`, [70003]);
    }
    const clientId = form.get('client_id') ?? '';
    const scope = form.get('scope') ?? '';
    const principal = identities.byClientId(clientId);
    if (!principal) {
        return aadError(400, 'unauthorized_client', `AADSTS700016: Application with identifier '${clientId}' was not found in the directory '${tokens.tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`, [700016]);
    }
    const refusal = authenticateClient(form, principal);
    if (refusal)
        return refusal;
    const audience = audienceFromScope(scope);
    if (!audience.startsWith('https://')) {
        return aadError(400, 'invalid_scope', `AADSTS1002012: The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`, [1002012]);
    }
    // v1 resources keep their trailing slash in `aud` for ARM, as Entra issues them.
    const aud = /management\.(azure\.com|core\.windows\.net)$/i.test(audience) ? `${audience}/` : audience;
    const issued = tokens.issue({ appId: principal.clientId, objectId: principal.objectId }, aud);
    return json(200, {
        token_type: 'Bearer',
        expires_in: issued.expiresIn,
        ext_expires_in: issued.expiresIn,
        refresh_in: Math.floor(issued.expiresIn / 2),
        access_token: issued.token,
    });
}
function authenticateClient(form, principal) {
    const secret = form.get('client_secret');
    const assertion = form.get('client_assertion');
    if (secret !== null) {
        if (principal.secrets.includes(secret))
            return undefined;
        return aadError(401, 'invalid_client', `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${principal.clientId}'.`, [7000215]);
    }
    if (assertion !== null) {
        if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') {
            return aadError(400, 'invalid_request', 'AADSTS50027: JWT token is invalid or malformed.', [50027]);
        }
        // The assertion's signature is not verified: the sandbox has no cluster OIDC JWKS to fetch. Its
        // issuer, subject, audience and expiry must match a federated credential, as in Entra [AKS-WI].
        const claims = decodeJwtPayload(assertion);
        if (!claims)
            return aadError(400, 'invalid_request', 'AADSTS50027: JWT token is invalid or malformed.', [50027]);
        const exp = typeof claims['exp'] === 'number' ? claims['exp'] : 0;
        if (exp * 1000 <= Date.now()) {
            return aadError(400, 'invalid_client', 'AADSTS700024: Client assertion is not within its valid time range.', [700024]);
        }
        const auds = Array.isArray(claims['aud']) ? claims['aud'] : [claims['aud']];
        const match = principal.federatedCredentials.find((f) => f.issuer === claims['iss'] &&
            f.subject === claims['sub'] &&
            auds.some((a) => f.audiences.includes(String(a))));
        if (!match) {
            return aadError(400, 'invalid_client', `AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: '${String(claims['iss'])}'. Assertion Subject: '${String(claims['sub'])}'. Assertion Audience: '${auds.map(String).join(',')}'.`, [70021]);
        }
        return undefined;
    }
    return aadError(401, 'invalid_client', "AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'.", [7000218]);
}
//# sourceMappingURL=aad.js.map