// Access tokens of the sandbox's AAD: JWT-shaped (header.payload.signature, base64url), signed with
// HS256 under a key that exists only in this sandbox process. Real Entra tokens are RS256 and
// verifiable with the tenant's JWKS; the Azure SDKs never verify access tokens themselves (they only
// read `exp` from the token response), so HMAC keeps issuance cheap while still letting ARM, Key Vault
// and Batch refuse forged or tampered tokens. Token lifetimes run on the wall clock: the SDKs' token
// caches compare `expires_in` against the real time.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
const b64url = (v) => Buffer.from(v).toString('base64url');
/** Audiences (as the resource URI, without trailing slash) each front door accepts. */
export const AUDIENCES = {
    arm: ['https://management.azure.com', 'https://management.core.windows.net'],
    vault: ['https://vault.azure.net'],
    batch: ['https://batch.core.windows.net'],
};
export function normaliseAudience(aud) {
    return aud.replace(/\/+$/, '').toLowerCase();
}
/** `https://vault.azure.net/.default` → `https://vault.azure.net` (ARM's `…//.default` too). */
export function audienceFromScope(scope) {
    const first = scope.split(' ').find((s) => s.endsWith('/.default')) ?? scope.split(' ')[0] ?? '';
    return first.replace(/\/\.default$/, '').replace(/\/+$/, '');
}
export class TokenIssuer {
    tenantId;
    lifetimeSeconds;
    key = randomBytes(32);
    constructor(tenantId, lifetimeSeconds = 3599) {
        this.tenantId = tenantId;
        this.lifetimeSeconds = lifetimeSeconds;
    }
    issue(subject, audience) {
        const now = Math.floor(Date.now() / 1000);
        const claims = {
            aud: audience,
            iss: `https://sts.windows.net/${this.tenantId}/`,
            iat: now,
            nbf: now - 300,
            exp: now + this.lifetimeSeconds,
            appid: subject.appId,
            oid: subject.objectId,
            sub: subject.objectId,
            tid: this.tenantId,
            idtyp: 'app',
            ver: '1.0',
        };
        const head = b64url(JSON.stringify({ typ: 'JWT', alg: 'HS256', kid: 'kv-rollover-sandbox' }));
        const body = b64url(JSON.stringify(claims));
        return { token: `${head}.${body}.${this.sign(`${head}.${body}`)}`, expiresIn: this.lifetimeSeconds };
    }
    /** Validates `Authorization: Bearer …` for one of the accepted audiences. */
    verify(authorization, audiences) {
        if (!authorization)
            return { ok: false, reason: 'missing' };
        const m = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
        if (!m)
            return { ok: false, reason: 'malformed' };
        const parts = m[1].split('.');
        if (parts.length !== 3)
            return { ok: false, reason: 'malformed' };
        const [head, body, sig] = parts;
        const expected = Buffer.from(this.sign(`${head}.${body}`));
        const given = Buffer.from(sig);
        if (expected.length !== given.length || !timingSafeEqual(expected, given))
            return { ok: false, reason: 'signature' };
        let claims;
        try {
            claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
        }
        catch {
            return { ok: false, reason: 'malformed' };
        }
        if (claims.exp * 1000 <= Date.now())
            return { ok: false, reason: 'expired' };
        if (claims.tid !== this.tenantId)
            return { ok: false, reason: 'tenant' };
        const aud = normaliseAudience(claims.aud);
        if (!audiences.some((a) => normaliseAudience(a) === aud))
            return { ok: false, reason: 'audience', audience: claims.aud };
        return {
            ok: true,
            principal: { tenantId: claims.tid, appId: claims.appid, objectId: claims.oid, audience: claims.aud },
        };
    }
    sign(input) {
        return createHmac('sha256', this.key).update(input).digest('base64url');
    }
}
/** Decodes a JWT's payload without verifying it (federated assertions; see aad.ts). */
export function decodeJwtPayload(jwt) {
    const parts = jwt.split('.');
    if (parts.length < 2)
        return undefined;
    try {
        const v = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
        return v !== null && typeof v === 'object' ? v : undefined;
    }
    catch {
        return undefined;
    }
}
/**
 * An unsigned service-account-token look-alike for workload identity tests: what the kubelet projects
 * into `AZURE_FEDERATED_TOKEN_FILE` (issuer = the cluster's OIDC issuer, subject = the service account).
 */
export function mintFederatedAssertion(init) {
    const now = Math.floor(Date.now() / 1000);
    const head = b64url(JSON.stringify({ alg: 'none', typ: 'JWT' }));
    const body = b64url(JSON.stringify({
        iss: init.issuer,
        sub: init.subject,
        aud: [init.audience ?? 'api://AzureADTokenExchange'],
        iat: now,
        nbf: now,
        exp: now + (init.lifetimeSeconds ?? 3600),
    }));
    return `${head}.${body}.`;
}
//# sourceMappingURL=tokens.js.map