// `GET Microsoft.ServiceFabric/clusters/{name}` → ClusterObservation. Field names from [SF-SPEC]
// (2021-06-01 cluster.json): properties.certificate {thumbprint, thumbprintSecondary, x509StoreName},
// properties.certificateCommonNames {commonNames[{certificateCommonName, certificateIssuerThumbprint}],
// x509StoreName}, clusterState, provisioningState, clusterCodeVersion, nodeTypes[].name.
import { normalizeThumbprint, splitThumbprintList } from '../x509.js';
import { arr, field, str } from './json.js';
function thumbprint(value) {
    const s = str(value);
    if (s === undefined || s.trim() === '')
        return undefined;
    // Keep an unparseable value visible (uppercased) rather than dropping it: the planner must not assume
    // a declared certificate is absent.
    return normalizeThumbprint(s) ?? s.trim().toUpperCase();
}
export function parseCluster(body) {
    const props = field(body, 'properties');
    const cert = field(props, 'certificate');
    const primary = thumbprint(field(cert, 'thumbprint'));
    const cns = field(props, 'certificateCommonNames');
    const commonNames = arr(field(cns, 'commonNames')).flatMap((entry) => {
        const name = str(field(entry, 'certificateCommonName'));
        return name === undefined
            ? []
            : [
                {
                    commonName: name,
                    issuerThumbprints: splitThumbprintList(str(field(entry, 'certificateIssuerThumbprint'))),
                },
            ];
    });
    return {
        id: str(field(body, 'id')),
        name: str(field(body, 'name')),
        certificate: primary === undefined
            ? undefined
            : {
                thumbprint: primary,
                thumbprintSecondary: thumbprint(field(cert, 'thumbprintSecondary')),
                x509StoreName: str(field(cert, 'x509StoreName')),
            },
        certificateCommonNames: commonNames.length === 0 ? undefined : { commonNames, x509StoreName: str(field(cns, 'x509StoreName')) },
        clusterState: str(field(props, 'clusterState')),
        provisioningState: str(field(props, 'provisioningState')),
        clusterCodeVersion: str(field(props, 'clusterCodeVersion')),
        nodeTypeNames: arr(field(props, 'nodeTypes')).flatMap((n) => {
            const name = str(field(n, 'name'));
            return name === undefined ? [] : [name];
        }),
    };
}
/**
 * Presentation order changed in 7.2.445 (7.2 CU4): newest NotBefore wins; before it, farthest NotAfter
 * [SF-CERTS][SF-MGMT]. An unknown version is taken as current (NotBefore), the rule of every supported
 * runtime today.
 */
export function presentationOrderOf(clusterCodeVersion) {
    if (clusterCodeVersion === undefined)
        return 'NotBefore';
    const parts = clusterCodeVersion.split('.').map((p) => Number.parseInt(p, 10));
    if (parts.some((p) => Number.isNaN(p)))
        return 'NotBefore';
    const threshold = [7, 2, 445];
    for (let i = 0; i < threshold.length; i++) {
        const a = parts[i] ?? 0;
        const b = threshold[i] ?? 0;
        if (a !== b)
            return a > b ? 'NotBefore' : 'NotAfter';
    }
    return 'NotBefore';
}
//# sourceMappingURL=cluster.js.map