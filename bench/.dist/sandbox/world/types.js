// The vocabulary of the simulated world: what a node knows about a certificate, what the world asks of
// the vault, and how the pieces report what happened. The world never holds private keys: a certificate
// on a node only carries a flag saying whether its key came with it.
const SECRET_URL = /^https:\/\/([a-z0-9-]+)\.vault\.azure\.net(?::443)?\/secrets\/([A-Za-z0-9-]+)(?:\/([A-Za-z0-9]+))?\/?$/i;
/** Parses a Key Vault secret URL; undefined when it is not one (for example a `/certificates/` URL). */
export function parseSecretUrl(url) {
    const match = SECRET_URL.exec(url.trim());
    if (match === null)
        return undefined;
    const [, vault, name, version] = match;
    if (vault === undefined || name === undefined)
        return undefined;
    return { vault: vault.toLowerCase(), name, version: version === '' ? undefined : version };
}
export function isTimeValid(cert, now) {
    return cert.notBefore.getTime() <= now.getTime() && now.getTime() < cert.notAfter.getTime();
}
export function isExpired(cert, now) {
    return now.getTime() >= cert.notAfter.getTime();
}
//# sourceMappingURL=types.js.map