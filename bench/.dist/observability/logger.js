// Structured JSON logs (pino). Fixed keys per reconcile — resource_kind, resource_namespace,
// resource_name — are bound by the runtime on a child logger; `step` and `reason` (names from
// src/domain/names.ts) are added per call. Messages follow the Kubernetes style: capitalised, past
// tense, no trailing period, the object type named ("Patched VirtualMachineScaleSet").
//
// Key material never reaches the output (design §7): known secret-bearing field names are censored at
// any depth up to 5 (pino's redaction has no recursive wildcard), and every string — message, fields,
// error messages — is scrubbed of PEM private-key blocks, PKCS#12 blobs in PEM, and bearer tokens.
import pino, {} from 'pino';
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
/** Field names whose values are secrets wherever they appear. */
export const SECRET_FIELDS = [
    'privateKey',
    'private_key',
    'value',
    'secret',
    'password',
    'passphrase',
    'client_secret',
    'clientSecret',
    'clientCertificate',
    'token',
    'access_token',
    'refresh_token',
    'id_token',
    'authorization',
    'Authorization',
    'pfx',
    'cookie',
    'Cookie',
];
const MAX_DEPTH = 5;
/** pino redact paths: each secret field at the top level and up to MAX_DEPTH levels down. */
export function redactPaths() {
    const paths = [];
    for (const field of SECRET_FIELDS) {
        for (let depth = 0; depth <= MAX_DEPTH; depth++)
            paths.push([...Array(depth).fill('*'), field].join('.'));
    }
    return paths;
}
export const REDACTED = '[REDACTED]';
const PEM_PRIVATE = /-----BEGIN ([A-Z0-9 ]*PRIVATE KEY|PKCS12|ENCRYPTED PRIVATE KEY)-----[\s\S]*?(-----END \1-----|$)/g;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*/gi;
const CLIENT_SECRET_PARAM = /\b(client_secret|password|client_assertion)=([^&\s"]+)/gi;
/** Removes key material from free text (log messages, error messages, stack traces). */
export function scrubText(text) {
    return text
        .replace(PEM_PRIVATE, REDACTED)
        .replace(BEARER, `$1 ${REDACTED}`)
        .replace(CLIENT_SECRET_PARAM, `$1=${REDACTED}`);
}
function scrubDeep(value, depth, seen) {
    if (typeof value === 'string')
        return scrubText(value);
    if (typeof value !== 'object' || value === null || depth > 8)
        return value;
    if (seen.has(value))
        return '[Circular]';
    seen.add(value);
    if (Array.isArray(value))
        return value.map((v) => scrubDeep(v, depth + 1, seen));
    if (value instanceof Error) {
        // A scrubbed copy that is still an Error, so pino's error serializer keeps its shape.
        const copy = new Error(scrubText(value.message));
        copy.name = value.name;
        copy.stack = value.stack === undefined ? undefined : scrubText(value.stack);
        return copy;
    }
    const out = {};
    for (const [k, v] of Object.entries(value))
        out[k] = scrubDeep(v, depth + 1, seen);
    return out;
}
export function loggerOptions(options = {}) {
    return {
        level: options.level ?? 'info',
        base: { app: 'kv-rollover', ...options.base },
        timestamp: pino.stdTimeFunctions.isoTime,
        redact: { paths: redactPaths(), censor: REDACTED },
        hooks: {
            // Interpolated arguments and the message are scrubbed before formatting.
            logMethod(args, method) {
                const scrubbed = args.map((a) => scrubDeep(a, 0, new WeakSet()));
                method.apply(this, scrubbed);
            },
        },
        formatters: {
            level: (label) => ({ level: label }),
            log: (obj) => scrubDeep(obj, 0, new WeakSet()),
        },
    };
}
export function createLogger(options = {}) {
    return options.destination === undefined
        ? pino(loggerOptions(options))
        : pino(loggerOptions(options), options.destination);
}
//# sourceMappingURL=logger.js.map