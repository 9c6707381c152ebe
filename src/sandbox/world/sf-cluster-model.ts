// The Microsoft.ServiceFabric/clusters REST model (api-version 2021-06-01 [SF-SPEC]) as far as the
// world interprets it, and the certificate declaration it implies. Other properties are echoed.
import type { CertificateDeclaration } from './sf-runtime.js';

export interface CertificateDescription {
  thumbprint?: string;
  thumbprintSecondary?: string;
  x509StoreName?: string;
}

export interface ServerCertificateCommonName {
  certificateCommonName?: string;
  certificateIssuerThumbprint?: string;
}

export interface ServerCertificateCommonNames {
  commonNames?: ServerCertificateCommonName[];
  x509StoreName?: string;
}

export interface NodeTypeDescription {
  name?: string;
  isPrimary?: boolean;
  vmInstanceCount?: number;
  durabilityLevel?: string;
  [key: string]: unknown;
}

export interface ClusterProperties {
  certificate?: CertificateDescription | null;
  certificateCommonNames?: ServerCertificateCommonNames | null;
  clusterCodeVersion?: string;
  clusterState?: string;
  provisioningState?: string;
  nodeTypes?: NodeTypeDescription[];
  reliabilityLevel?: string;
  upgradeMode?: string;
  managementEndpoint?: string;
  clusterEndpoint?: string;
  clusterId?: string;
  [key: string]: unknown;
}

export interface ClusterResource {
  id?: string;
  name?: string;
  type?: string;
  location?: string;
  tags?: Record<string, string>;
  etag?: string;
  properties?: ClusterProperties;
  [key: string]: unknown;
}

/** Splits `certificateIssuerThumbprint` ("tp1,tp2") into uppercase thumbprints. */
export function issuerList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((part) => part.trim().toUpperCase())
    .filter((part) => part !== '');
}

/** The cluster certificate declaration a cluster resource's properties make. */
export function declarationOf(properties: ClusterProperties | undefined): CertificateDeclaration {
  const thumbprints: string[] = [];
  const cert = properties?.certificate ?? undefined;
  if (cert?.thumbprint) thumbprints.push(cert.thumbprint.replace(/\s/g, '').toUpperCase());
  if (cert?.thumbprintSecondary) thumbprints.push(cert.thumbprintSecondary.replace(/\s/g, '').toUpperCase());
  const commonNames = (properties?.certificateCommonNames?.commonNames ?? []).map((entry) => ({
    commonName: entry.certificateCommonName ?? '',
    issuerThumbprints: issuerList(entry.certificateIssuerThumbprint),
  }));
  return { thumbprints, commonNames };
}

export function hasClusterCertificate(properties: ClusterProperties | undefined): boolean {
  const decl = declarationOf(properties);
  return decl.thumbprints.length > 0 || decl.commonNames.length > 0;
}
