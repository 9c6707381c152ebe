// The two apiextensions.k8s.io/v1 CustomResourceDefinitions, built from the TypeBox schemas. `crds/` holds
// them serialised (`kv-rollover crds --write crds`); a test fails when it is out of date.
import { stringify } from 'yaml';
import { API_GROUP, API_VERSION, ConditionType, KIND_BATCH_POOL, KIND_SERVICE_FABRIC, PLURAL_BATCH_POOL, PLURAL_SERVICE_FABRIC, } from '../domain/names.js';
import { BatchPoolRotationSchema } from './batch-pool.js';
import { toStructural } from './schema-kit.js';
import { ServiceFabricRotationSchema } from './service-fabric.js';
export const CATEGORY = 'kvrollover';
const PRINTER_COLUMNS = [
    {
        name: 'Ready',
        type: 'string',
        jsonPath: `.status.conditions[?(@.type=="${ConditionType.Ready}")].status`,
        description: 'Whether the rotation is converged and healthy.',
    },
    { name: 'Phase', type: 'string', jsonPath: '.status.phase', description: 'Where the rotation stands.' },
    { name: 'Step', type: 'string', jsonPath: '.status.currentStep', description: 'The current step.' },
    {
        name: 'Expires',
        // `string`, not `date`: kubectl renders a `date` column as the age since the time, and prints
        // `<invalid>` for a future one — cert-manager's Expiration column is a string for the same reason.
        type: 'string',
        jsonPath: '.status.certificates.inUse.notAfter',
        description: 'NotAfter of the certificate in use.',
    },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', description: 'Age of the resource.' },
];
export function kindDefinitions() {
    return [
        {
            kind: KIND_SERVICE_FABRIC,
            plural: PLURAL_SERVICE_FABRIC,
            shortName: 'sfcr',
            schema: toStructural(ServiceFabricRotationSchema),
        },
        {
            kind: KIND_BATCH_POOL,
            plural: PLURAL_BATCH_POOL,
            shortName: 'bpcr',
            schema: toStructural(BatchPoolRotationSchema),
        },
    ];
}
function crd(def) {
    return {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: {
            name: `${def.plural}.${API_GROUP}`,
            labels: { 'app.kubernetes.io/name': 'kv-rollover', 'app.kubernetes.io/part-of': 'kv-rollover' },
        },
        spec: {
            group: API_GROUP,
            names: {
                kind: def.kind,
                listKind: `${def.kind}List`,
                plural: def.plural,
                singular: def.kind.toLowerCase(),
                shortNames: [def.shortName],
                categories: [CATEGORY],
            },
            scope: 'Namespaced',
            versions: [
                {
                    name: API_VERSION,
                    served: true,
                    storage: true,
                    schema: { openAPIV3Schema: def.schema },
                    subresources: { status: {} },
                    additionalPrinterColumns: PRINTER_COLUMNS.map((c) => ({ ...c })),
                },
            ],
        },
    };
}
/** Both CRDs, Service Fabric first. Fresh objects on every call (callers may mutate them). */
export function crdObjects() {
    return kindDefinitions().map(crd);
}
/** The openAPIV3Schema of one kind (fresh copy). */
export function openApiSchema(kind) {
    const def = kindDefinitions().find((d) => d.kind === kind);
    if (!def)
        throw new Error(`unknown kind ${kind}`);
    return def.schema;
}
const GENERATED_HEADER = '# Generated from src/api by `kv-rollover crds --write crds`. Do not edit by hand.\n';
/** One CRD as a YAML document (what `crds/<plural>.yaml` holds). */
export function crdYaml(definition) {
    return GENERATED_HEADER + stringify(definition, { lineWidth: 0 });
}
/** Both CRDs as one multi-document YAML stream (what `kv-rollover crds` prints). */
export function crdsYaml() {
    return crdObjects()
        .map((d) => `---\n${crdYaml(d)}`)
        .join('');
}
//# sourceMappingURL=crds.js.map