// CustomResourceDefinitions (apiextensions.k8s.io/v1): validation of the definition, its status
// (NamesAccepted/Established), and the resource types it serves — one per served version, all sharing
// the storage version's objects ("None" conversion: only apiVersion changes between versions).
// https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/
import { invalid, isJsonObject, notSupported, required, structuralSchemaErrors, } from '../../api/structural/index.js';
import { compileJsonPath } from './jsonpath.js';
const spec = (crd) => crd.spec;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export function validateCrd(crd) {
    const out = [];
    const s = isJsonObject(crd.spec) ? crd.spec : {};
    const names = (isJsonObject(s.names) ? s.names : {});
    if (!s.group)
        out.push(required('spec.group', ''));
    else if (!s.group.includes('.'))
        out.push(invalid('spec.group', s.group, 'should be a domain with at least one dot'));
    if (!names.plural)
        out.push(required('spec.names.plural', ''));
    else if (!DNS_LABEL.test(names.plural)) {
        out.push(invalid('spec.names.plural', names.plural, "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'"));
    }
    if (!names.kind)
        out.push(required('spec.names.kind', ''));
    if (names.plural && s.group && crd.metadata.name !== `${names.plural}.${s.group}`) {
        out.push(invalid('metadata.name', crd.metadata.name, 'must be spec.names.plural+"."+spec.group'));
    }
    if (s.scope !== 'Namespaced' && s.scope !== 'Cluster')
        out.push(notSupported('spec.scope', s.scope, ['Cluster', 'Namespaced']));
    const versions = Array.isArray(s.versions) ? s.versions : [];
    if (versions.length === 0)
        out.push(required('spec.versions', 'must have exactly one version marked as storage version'));
    else if (versions.filter((v) => v.storage).length !== 1) {
        out.push(invalid('spec.versions', versions.map((v) => v.name), 'must have exactly one version marked as storage version'));
    }
    versions.forEach((version, i) => {
        const path = `spec.versions[${i}]`;
        if (!version.name)
            out.push(required(`${path}.name`, ''));
        const schema = version.schema?.openAPIV3Schema;
        if (!schema)
            out.push(required(`${path}.schema.openAPIV3Schema`, 'schemas are required'));
        else
            out.push(...structuralSchemaErrors(schema, `${path}.schema.openAPIV3Schema`));
        (version.additionalPrinterColumns ?? []).forEach((column, j) => {
            const columnPath = `${path}.additionalPrinterColumns[${j}]`;
            if (!column.name)
                out.push(required(`${columnPath}.name`, ''));
            if (!['string', 'integer', 'number', 'boolean', 'date'].includes(column.type)) {
                out.push(notSupported(`${columnPath}.type`, column.type, ['boolean', 'date', 'integer', 'number', 'string']));
            }
            try {
                compileJsonPath(column.jsonPath ?? '');
            }
            catch (err) {
                out.push(invalid(`${columnPath}.jsonPath`, column.jsonPath, err instanceof Error ? err.message : String(err)));
            }
        });
    });
    return out;
}
/** Sets the status the API server reports once the names are accepted and the API is served. */
export function establish(crd, now) {
    const s = spec(crd);
    const names = {
        plural: s.names.plural,
        singular: s.names.singular ?? s.names.kind.toLowerCase(),
        kind: s.names.kind,
        listKind: s.names.listKind ?? `${s.names.kind}List`,
        ...(s.names.shortNames ? { shortNames: s.names.shortNames } : {}),
        ...(s.names.categories ? { categories: s.names.categories } : {}),
    };
    crd.spec = { ...s, names };
    const previous = isJsonObject(crd.status) ? crd.status : {};
    const stored = Array.isArray(previous.storedVersions) ? previous.storedVersions : [];
    const storage = s.versions.find((v) => v.storage).name;
    const previousConditions = Array.isArray(previous.conditions) ? previous.conditions : [];
    // A condition keeps its lastTransitionTime while its status stays the same.
    const since = (type) => {
        const found = previousConditions.find((c) => isJsonObject(c) && c.type === type && c.status === 'True');
        return isJsonObject(found) && typeof found.lastTransitionTime === 'string'
            ? found.lastTransitionTime
            : now;
    };
    const condition = (type, reason, message) => ({
        type,
        status: 'True',
        lastTransitionTime: since(type),
        reason,
        message,
    });
    crd.status = {
        conditions: [
            condition('NamesAccepted', 'NoConflicts', 'no conflicts found'),
            condition('Established', 'InitialNamesAccepted', 'the initial names have been accepted'),
        ],
        acceptedNames: names,
        storedVersions: stored.includes(storage) ? stored : [...stored, storage],
    };
}
const DEFAULT_AGE = {
    name: 'Age',
    type: 'date',
    jsonPath: '.metadata.creationTimestamp',
    description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
};
/** The resource types a CRD serves (one per served version). */
export function crdResourceTypes(crd) {
    const s = spec(crd);
    const storage = s.versions.find((v) => v.storage);
    return s.versions
        .filter((v) => v.served)
        .map((version) => {
        const schema = version.schema?.openAPIV3Schema ?? {
            type: 'object',
            'x-kubernetes-preserve-unknown-fields': true,
        };
        const selectable = {};
        for (const field of version.selectableFields ?? []) {
            const path = field.jsonPath.replace(/^\./, '');
            selectable[path] = (o) => {
                let cur = o;
                for (const part of path.split('.'))
                    cur = isJsonObject(cur) ? cur[part] : undefined;
                return cur === undefined || cur === null ? undefined : JSON.stringify(cur).replace(/^"|"$/g, '');
            };
        }
        const apiVersion = `${s.group}/${version.name}`;
        const type = {
            group: s.group,
            version: version.name,
            kind: s.names.kind,
            listKind: s.names.listKind ?? `${s.names.kind}List`,
            plural: s.names.plural,
            singular: s.names.singular ?? s.names.kind.toLowerCase(),
            shortNames: s.names.shortNames ?? [],
            categories: s.names.categories ?? [],
            namespaced: s.scope === 'Namespaced',
            statusSubresource: version.subresources?.status !== undefined && version.subresources?.status !== null,
            verbs: ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'],
            storageKey: `${s.group}/${s.names.plural}`,
            schema,
            printerColumns: version.additionalPrinterColumns?.length
                ? version.additionalPrinterColumns
                : [DEFAULT_AGE],
            strategy: { generation: true, allowUnconditionalUpdate: false, selectableFields: selectable },
            crd: crd.metadata.name,
            openAPISchema: schema,
        };
        if (version.name !== storage.name) {
            type.fromStorage = (o) => ({ ...o, apiVersion });
            type.toStorage = (o) => ({ ...o, apiVersion: `${s.group}/${storage.name}` });
        }
        return type;
    });
}
//# sourceMappingURL=crd.js.map