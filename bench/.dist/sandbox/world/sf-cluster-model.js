/** Splits `certificateIssuerThumbprint` ("tp1,tp2") into uppercase thumbprints. */
export function issuerList(value) {
    return (value ?? '')
        .split(',')
        .map((part) => part.trim().toUpperCase())
        .filter((part) => part !== '');
}
/** The cluster certificate declaration a cluster resource's properties make. */
export function declarationOf(properties) {
    const thumbprints = [];
    const cert = properties?.certificate ?? undefined;
    if (cert?.thumbprint)
        thumbprints.push(cert.thumbprint.replace(/\s/g, '').toUpperCase());
    if (cert?.thumbprintSecondary)
        thumbprints.push(cert.thumbprintSecondary.replace(/\s/g, '').toUpperCase());
    const commonNames = (properties?.certificateCommonNames?.commonNames ?? []).map((entry) => ({
        commonName: entry.certificateCommonName ?? '',
        issuerThumbprints: issuerList(entry.certificateIssuerThumbprint),
    }));
    return { thumbprints, commonNames };
}
export function hasClusterCertificate(properties) {
    const decl = declarationOf(properties);
    return decl.thumbprints.length > 0 || decl.commonNames.length > 0;
}
//# sourceMappingURL=sf-cluster-model.js.map