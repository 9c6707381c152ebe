import { parseSecretUrl } from './types.js';
export const KEYVAULT_EXTENSION_PUBLISHER = 'Microsoft.Azure.KeyVault';
export const KEYVAULT_EXTENSION_TYPES = ['KeyVaultForWindows', 'KeyVaultForLinux'];
/** Documented retry limit for the initial sync of Linux and Windows v4 [KVW-26][KVL-25]. */
const INITIAL_SYNC_MAX_RETRIES = 25;
/** Backoff of initial-sync retries: not documented; doubling from 5 s, capped at 2 min (our choice). */
const RETRY_BASE_MS = 5_000;
const RETRY_CAP_MS = 120_000;
/** Polling interval used when the settings carry none: the documented examples use 3600 [KVW-24]. */
const DEFAULT_POLLING_INTERVAL_S = 3600;
function isRecord(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function asBool(value, fallback) {
    if (typeof value === 'boolean')
        return value;
    if (value === 'true')
        return true;
    if (value === 'false')
        return false;
    return fallback;
}
/** Reads the extension's public settings in the v1.0 (string list) or v3.0 (objects) form. */
export function parseKeyVaultExtensionSettings(type, typeHandlerVersion, settings) {
    if (!isRecord(settings)) {
        // PowerShell-escaped JSON arrives as a string [KVW-24][KVL-25].
        return {
            ok: false,
            message: '[CertificateManagementConfiguration] Failed to parse the configuration settings with:not an object.',
        };
    }
    const sms = settings.secretsManagementSettings;
    if (!isRecord(sms)) {
        return {
            ok: false,
            message: '[CertificateManagementConfiguration] secretsManagementSettings is missing or not an object.',
        };
    }
    const observed = Array.isArray(sms.observedCertificates) ? sms.observedCertificates : [];
    const urls = [];
    for (const entry of observed) {
        if (typeof entry === 'string')
            urls.push(entry);
        else if (isRecord(entry) && typeof entry.url === 'string')
            urls.push(entry.url);
        else
            return {
                ok: false,
                message: '[CertificateManagementConfiguration] observedCertificates entries must be URLs or {url} objects.',
            };
    }
    const os = type === 'KeyVaultForLinux' ? 'Linux' : 'Windows';
    const majorVersion = Number.parseInt((typeHandlerVersion ?? '1').split('.')[0] ?? '1', 10) || 1;
    if (os === 'Windows' &&
        majorVersion >= 4 &&
        urls.some((url) => parseSecretUrl(url)?.version !== undefined)) {
        // v4 observes versionless secrets only ("specific versions can't be configured") [KVW-26].
        return {
            ok: false,
            message: '[CertificateManagementConfiguration] observedCertificates must not name a specific version.',
        };
    }
    const interval = Number(sms.pollingIntervalInS ?? DEFAULT_POLLING_INTERVAL_S);
    if (!Number.isFinite(interval) || interval < 1) {
        return {
            ok: false,
            message: `[CertificateManagementConfiguration] invalid pollingIntervalInS ${String(sms.pollingIntervalInS)}`,
        };
    }
    const auth = isRecord(settings.authenticationSettings) ? settings.authenticationSettings : undefined;
    const v4Windows = os === 'Windows' && majorVersion >= 4;
    return {
        ok: true,
        value: {
            os,
            majorVersion,
            // v4 limits the interval to 5–60 minutes [KVW-26].
            pollingIntervalInS: v4Windows ? Math.min(3600, Math.max(300, interval)) : interval,
            // Linux has no linking [KVL-25]; Windows v4 always links [KVW-26].
            linkOnRenewal: os === 'Linux' ? false : v4Windows ? true : asBool(sms.linkOnRenewal, false),
            // v4 removed the flag and reports success only once every certificate is installed [KVW-26].
            requireInitialSync: v4Windows ? true : asBool(sms.requireInitialSync, false),
            observedUrls: urls,
            msiClientId: auth !== undefined && typeof auth.msiClientId === 'string' ? auth.msiClientId : undefined,
        },
    };
}
/** One KeyVault extension instance on one node. */
export class KeyVaultAgent {
    deps;
    settings;
    timer;
    initialSyncDone = false;
    retries = 0;
    stopped = false;
    report;
    /** Per observed URL: the last error, if the last attempt failed. */
    lastErrors = new Map();
    /** Number of completed polling cycles (each reads every observed secret once). */
    cycles = 0;
    constructor(deps, settings) {
        this.deps = deps;
        this.settings = settings;
        this.report = { state: 'transitioning', message: 'Extension starting.', time: deps.scheduler.now() };
    }
    status() {
        return this.report;
    }
    /** Starts the first cycle at `at` (extension installed or VM booted). */
    start(at) {
        this.cycle(at);
    }
    stop() {
        this.stopped = true;
        this.deps.scheduler.cancel(this.timer);
        this.timer = undefined;
    }
    identityClientId() {
        const assigned = this.deps.assignedClientIds();
        const wanted = this.settings.msiClientId;
        if (wanted === undefined) {
            return {
                ok: false,
                message: assigned.length > 0
                    ? 'authenticationSettings.msiClientId is required when the VM has user-assigned identities: failed to acquire a token from IMDS'
                    : 'the VM has no managed identity: failed to acquire a token from IMDS',
            };
        }
        if (!assigned.some((id) => id.toLowerCase() === wanted.toLowerCase())) {
            return {
                ok: false,
                message: `identity with client id ${wanted} is not assigned to the VM: failed to acquire a token from IMDS`,
            };
        }
        return { ok: true, clientId: wanted };
    }
    cycle(at) {
        if (this.stopped)
            return;
        this.timer = undefined;
        this.cycles += 1;
        let failures = 0;
        let installed = 0;
        const identity = this.identityClientId();
        for (const url of this.settings.observedUrls) {
            const parsed = parseSecretUrl(url);
            if (parsed === undefined) {
                failures += 1;
                this.lastErrors.set(url, `${url} is not a Key Vault secret URL (observe /secrets/<name>)`);
                continue;
            }
            if (!identity.ok) {
                failures += 1;
                this.lastErrors.set(url, identity.message);
                continue;
            }
            const read = this.deps.vault.readSecret(parsed.vault, parsed.name, parsed.version, {
                kind: 'identity',
                clientId: identity.clientId,
            });
            if (!read.ok) {
                failures += 1;
                this.lastErrors.set(url, `${read.failure}: ${read.message}`);
                continue;
            }
            this.lastErrors.delete(url);
            const { secret } = read;
            const isNew = this.deps.store.install(secret.certificate, {
                hasPrivateKey: secret.hasPrivateKey,
                at,
                source: 'keyVaultExtension',
                vaultRef: `${secret.vault}/${secret.name}/${secret.version}`,
            });
            if (isNew) {
                installed += 1;
                if (this.settings.linkOnRenewal)
                    this.linkOlderCertificates(secret.certificate.thumbprint, secret.certificate.dnsNames);
                this.deps.onChange(`KeyVault extension installed ${secret.vault}/${secret.name}/${secret.version} (${secret.certificate.thumbprint})`, at);
            }
        }
        this.afterCycle(at, failures, installed);
    }
    afterCycle(at, failures, installed) {
        const before = this.report.state;
        const intervalMs = this.settings.pollingIntervalInS * 1000;
        if (this.initialSyncDone) {
            this.report = {
                state: 'succeeded',
                message: failures === 0
                    ? `Polling; ${installed} new certificate(s) this cycle.`
                    : `Polling; last cycle: ${this.errorSummary()}`,
                time: at,
            };
            this.schedule(at, intervalMs);
            return;
        }
        if (failures === 0 || !this.settings.requireInitialSync) {
            this.initialSyncDone = true;
            this.report = {
                state: 'succeeded',
                message: failures === 0
                    ? 'Initial sync completed: every observed certificate is installed.'
                    : `Polling started without initial sync; ${this.errorSummary()}`,
                time: at,
            };
            this.schedule(at, intervalMs);
        }
        else {
            this.retries += 1;
            const limited = this.settings.os === 'Linux' || this.settings.majorVersion >= 4;
            if (limited && this.retries >= INITIAL_SYNC_MAX_RETRIES) {
                this.report = {
                    state: 'failed',
                    message: `Initial sync failed after ${this.retries} attempts: ${this.errorSummary()}`,
                    time: at,
                };
                // The extension stays in Error; it is not retried until it is reinstalled or the VM reboots.
            }
            else {
                this.report = {
                    state: 'transitioning',
                    message: `Initial sync in progress (attempt ${this.retries}): ${this.errorSummary()}`,
                    time: at,
                };
                this.schedule(at, Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** Math.min(this.retries - 1, 16), intervalMs));
            }
        }
        if (this.report.state !== before)
            this.deps.onChange(`KeyVault extension ${this.report.state}`, at);
    }
    schedule(at, delayMs) {
        this.deps.scheduler.cancel(this.timer);
        this.timer = this.deps.scheduler.at(new Date(at.getTime() + delayMs), (when) => this.cycle(when));
    }
    errorSummary() {
        return [...this.lastErrors.entries()].map(([url, err]) => `${url}: ${err}`).join('; ');
    }
    /** Windows renewal linking by SAN inclusion [SF-MGMT]: order-dependent, across unrelated vault certificates. */
    linkOlderCertificates(newThumbprint, newSans) {
        const sans = new Set(newSans.map((name) => name.toLowerCase()));
        for (const cert of this.deps.store.list()) {
            if (cert.thumbprint === newThumbprint.toUpperCase() || cert.dnsNames.length === 0)
                continue;
            if (cert.dnsNames.every((name) => sans.has(name.toLowerCase())))
                this.deps.store.link(cert.thumbprint, newThumbprint);
        }
    }
}
//# sourceMappingURL=keyvault-agent.js.map