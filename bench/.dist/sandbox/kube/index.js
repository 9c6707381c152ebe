// A loopback Kubernetes API server emulator that real clients (kubectl 1.35, @kubernetes/client-node)
// accept. See docs/sandbox-kube.md for what it serves and where it departs from the real API server.
//
//   const kube = await startKubeApiServer({ crds: [crdObject] });
//   await kube.writeKubeconfig('/tmp/kubeconfig');       // KUBECONFIG=/tmp/kubeconfig kubectl get sfcr
//   kube.faults.inject({ verb: 'watch', action: { gone: true }, times: 1 });
//   kube.counters.count({ verb: 'list' });
//   await kube.close();
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync, } from 'node:fs';
import { writeFile, mkdir } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { dirname, join } from 'node:path';
import { parseAllDocuments, stringify as toYaml } from 'yaml';
import { systemClock } from '../clock.js';
import { KubeApi } from './api.js';
import { Faults, RequestCounters } from './faults.js';
import { HttpFrontend } from './http.js';
import { generateServingCertificate } from './tls.js';
export { Faults, RequestCounters } from './faults.js';
export { ApiError } from './status.js';
export { generateServingCertificate } from './tls.js';
/** Reads every YAML document of a file, or of the `.yaml`/`.yml`/`.json` files of a directory (sorted). */
export function loadManifests(path) {
    const files = statSync(path).isDirectory()
        ? readdirSync(path)
            .filter((f) => /\.(ya?ml|json)$/.test(f))
            .sort()
            .map((f) => join(path, f))
        : [path];
    return files.flatMap((file) => parseAllDocuments(readFileSync(file, 'utf8'))
        .map((doc) => doc.toJSON())
        .filter((doc) => doc !== null && doc !== undefined));
}
const BOOTSTRAP_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
export async function startKubeApiServer(options = {}) {
    const host = options.host ?? '127.0.0.1';
    const token = options.token ?? randomBytes(24).toString('base64url');
    const api = new KubeApi(options.clock ?? systemClock, { historyLimit: options.historyLimit ?? 10_000 });
    const stateFile = options.stateFile;
    if (stateFile && existsSync(stateFile)) {
        api.store.restore(JSON.parse(readFileSync(stateFile, 'utf8')));
        api.reloadCrds();
    }
    for (const ns of [...BOOTSTRAP_NAMESPACES, ...(options.namespaces ?? [])])
        api.ensureNamespace(ns);
    const crdType = api.resolve('apiextensions.k8s.io', 'v1', 'customresourcedefinitions');
    for (const crd of options.crds ?? []) {
        const name = crd.metadata?.name;
        if (name && api.store.get(crdType.storageKey, undefined, name))
            continue;
        api.create(crdType, undefined, crd, { fieldManager: 'kv-rollover-sandbox' });
    }
    const save = () => {
        if (!stateFile)
            return;
        mkdirSync(dirname(stateFile), { recursive: true });
        const tmp = `${stateFile}.tmp`;
        writeFileSync(tmp, JSON.stringify(api.store.snapshot()));
        renameSync(tmp, stateFile);
    };
    let saveTimer;
    const unsubscribeSave = stateFile
        ? api.subscribe(() => {
            saveTimer ??= setTimeout(() => {
                saveTimer = undefined;
                save();
            }, 100).unref();
        })
        : () => { };
    const faults = new Faults({
        compact: () => api.store.compact(),
        dropWatches: (filter) => frontend.dropWatches(filter),
        expireWatches: (filter) => frontend.expireWatches(filter),
    });
    const counters = new RequestCounters();
    let address = '';
    const frontend = new HttpFrontend(api, faults, counters, {
        tokens: new Set([token]),
        bookmarkIntervalMs: options.bookmarkIntervalMs ?? 10_000,
        serverAddress: () => address,
    });
    const tlsOption = options.tls ?? true;
    const tls = tlsOption === true
        ? generateServingCertificate({ ips: ['127.0.0.1', host], dns: ['localhost'] })
        : tlsOption === false
            ? undefined
            : tlsOption;
    const server = tls
        ? createHttpsServer({ cert: tls.certPem, key: tls.keyPem }, frontend.handle)
        : createHttpServer(frontend.handle);
    server.keepAliveTimeout = 30_000;
    const sockets = new Set();
    server.on('connection', (socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
    });
    await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port ?? 0, host, () => resolve());
    });
    const port = server.address().port;
    address = `${host}:${port}`;
    const url = `${tls ? 'https' : 'http'}://${host}:${port}`;
    const contextName = options.contextName ?? 'kv-rollover-sandbox';
    const kubeconfigYaml = (kc = {}) => {
        const cluster = { server: url };
        if (tls)
            cluster['certificate-authority-data'] = Buffer.from(tls.caPem).toString('base64');
        // Clients refuse plain http unless told not to verify TLS (client-node); kubectl ignores it for http.
        else
            cluster['insecure-skip-tls-verify'] = true;
        return toYaml({
            apiVersion: 'v1',
            kind: 'Config',
            clusters: [{ name: contextName, cluster }],
            users: [{ name: `${contextName}-user`, user: { token } }],
            contexts: [
                {
                    name: contextName,
                    context: {
                        cluster: contextName,
                        user: `${contextName}-user`,
                        namespace: kc.namespace ?? 'default',
                    },
                },
            ],
            'current-context': contextName,
            preferences: {},
        });
    };
    let closed = false;
    return {
        url,
        token,
        ...(tls ? { caPem: tls.caPem } : {}),
        api,
        faults,
        counters,
        kubeconfigYaml,
        async writeKubeconfig(path, kc) {
            await mkdir(dirname(path), { recursive: true });
            await writeFile(path, kubeconfigYaml(kc), { mode: 0o600 });
        },
        createObject(object) {
            const o = object;
            const [group, version] = o.apiVersion.includes('/') ? o.apiVersion.split('/') : ['', o.apiVersion];
            const type = api.typeForKind(o.apiVersion, o.kind);
            if (!type)
                throw new Error(`no resource serves ${o.apiVersion} ${o.kind} (group ${group}, version ${version})`);
            return api.create(type, o.metadata?.namespace, o, { fieldManager: 'kv-rollover-sandbox' });
        },
        save,
        async close() {
            if (closed)
                return;
            closed = true;
            frontend.closeAll();
            unsubscribeSave();
            if (saveTimer)
                clearTimeout(saveTimer);
            save();
            await new Promise((resolve) => {
                server.close(() => resolve());
                for (const socket of sockets)
                    socket.destroy();
            });
        },
    };
}
//# sourceMappingURL=index.js.map