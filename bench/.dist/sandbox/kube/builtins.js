// The built-in kinds the operator and kubectl use: Namespaces, Secrets, ConfigMaps, core/v1 Events and
// events.k8s.io/v1 Events (one storage, converted as the API server converts them), coordination.k8s.io/v1
// Leases, and apiextensions.k8s.io/v1 CustomResourceDefinitions. Validation covers the rules a client of
// this project can trip over, not every rule of the real types.
import { forbidden, invalid, isJsonObject, required } from '../../api/structural/index.js';
import { age } from './table.js';
const str = (v) => (typeof v === 'string' ? v : undefined);
const objectOf = (v) => (isJsonObject(v) ? v : {});
const AGE_COLUMN = {
    name: 'Age',
    type: 'string',
    description: 'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
    cell: (o, now) => age(o.metadata.creationTimestamp, now),
};
const plain = { generation: false, allowUnconditionalUpdate: true };
function base(partial) {
    return {
        listKind: `${partial.kind}List`,
        verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
        storageKey: `${partial.group}/${partial.plural}`,
        shortNames: [],
        categories: [],
        statusSubresource: false,
        ...partial,
    };
}
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
function validateDataKeys(field, data, out) {
    for (const key of Object.keys(objectOf(data))) {
        if (!CONFIG_KEY.test(key) || key.length > 253) {
            out.push(invalid(`${field}[${key}]`, key, "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"));
        }
    }
}
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const secretStrategy = {
    generation: false,
    allowUnconditionalUpdate: true,
    // Secrets accept stringData and store it base64-encoded in data (core/v1 conversion).
    prepare(object) {
        const stringData = objectOf(object.stringData);
        if (Object.keys(stringData).length > 0) {
            const data = { ...objectOf(object.data) };
            for (const [k, v] of Object.entries(stringData))
                data[k] = Buffer.from(String(v), 'utf8').toString('base64');
            object.data = data;
        }
        delete object.stringData;
        object.type ??= 'Opaque';
    },
    validate(object, old) {
        const out = [];
        validateDataKeys('data', object.data, out);
        let total = 0;
        for (const [k, v] of Object.entries(objectOf(object.data))) {
            if (typeof v !== 'string' || !BASE64.test(v)) {
                out.push(invalid(`data[${k}]`, '<value omitted>', 'illegal base64 data'));
            }
            else
                total += Buffer.from(v, 'base64').length;
        }
        if (total > 1024 * 1024)
            out.push(invalid('data', '<value omitted>', 'Too long: must have at most 1048576 bytes'));
        if (object.type === 'kubernetes.io/tls') {
            for (const key of ['tls.crt', 'tls.key']) {
                if (!(key in objectOf(object.data)))
                    out.push(required(`data[${key}]`));
            }
        }
        if (old) {
            if (old.type !== object.type)
                out.push(invalid('type', object.type ?? null, 'field is immutable'));
            if (old.immutable === true) {
                if (JSON.stringify(old.data ?? {}) !== JSON.stringify(object.data ?? {})) {
                    out.push(forbidden('data', 'field is immutable when `immutable` is set'));
                }
                if (object.immutable !== true)
                    out.push(forbidden('immutable', 'field is immutable when `immutable` is set'));
            }
        }
        return out;
    },
    selectableFields: { type: (o) => str(o.type) },
};
const configMapStrategy = {
    generation: false,
    allowUnconditionalUpdate: true,
    validate(object, old) {
        const out = [];
        validateDataKeys('data', object.data, out);
        validateDataKeys('binaryData', object.binaryData, out);
        if (old?.immutable === true && JSON.stringify(old.data ?? {}) !== JSON.stringify(object.data ?? {})) {
            out.push(forbidden('data', 'field is immutable when `immutable` is set'));
        }
        return out;
    },
};
const namespaceStrategy = {
    generation: false,
    allowUnconditionalUpdate: true,
    prepare(object, old) {
        object.spec = { finalizers: ['kubernetes'], ...objectOf(object.spec) };
        object.status = old ? (old.status ?? { phase: 'Active' }) : { phase: 'Active' };
    },
    selectableFields: { 'status.phase': (o) => str(objectOf(o.status).phase) },
};
// Event validation after k8s.io/kubernetes/pkg/apis/core/validation/events.go: core/v1 writes get the
// legacy rules (stricter once eventTime is set); events.k8s.io/v1 writes must be complete new-style Events.
function legacyEventCauses(object) {
    const out = [];
    const involvedNs = str(objectOf(object.involvedObject).namespace) ?? '';
    const ns = object.metadata.namespace ?? '';
    if (!object.eventTime) {
        const mismatch = involvedNs === '' ? ns !== '' && ns !== 'default' : involvedNs !== ns;
        if (mismatch)
            out.push(invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace'));
        return out;
    }
    if (involvedNs === '' && ns !== 'default' && ns !== 'kube-system') {
        out.push(invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace'));
    }
    if (!object.reportingComponent)
        out.push(required('reportingComponent', ''));
    if (!object.reportingInstance)
        out.push(required('reportingInstance', ''));
    if (!object.reason)
        out.push(required('reason', ''));
    if (typeof object.message === 'string' && object.message.length > 1024) {
        out.push(invalid('message', '', 'can have at most 1024 characters'));
    }
    return out;
}
function eventsV1Causes(object) {
    const out = [];
    if (!object.eventTime)
        out.push(required('eventTime', ''));
    if (object.type !== 'Normal' && object.type !== 'Warning') {
        out.push(invalid('type', '', `has invalid value: ${str(object.type) ?? ''}`));
    }
    if (object.firstTimestamp)
        out.push(invalid('deprecatedFirstTimestamp', '', 'needs to be unset'));
    if (object.lastTimestamp)
        out.push(invalid('deprecatedLastTimestamp', '', 'needs to be unset'));
    if (object.count)
        out.push(invalid('deprecatedCount', '', 'needs to be unset'));
    if (!object.reportingComponent)
        out.push(required('reportingController', ''));
    if (!object.reportingInstance)
        out.push(required('reportingInstance', ''));
    if (!object.action)
        out.push(required('action', ''));
    if (!object.reason)
        out.push(required('reason', ''));
    if (typeof object.message === 'string' && object.message.length > 1024) {
        out.push(invalid('note', '', 'can have at most 1024 characters'));
    }
    return out;
}
const eventStrategy = {
    generation: false,
    allowUnconditionalUpdate: true,
    validate: (object) => legacyEventCauses(object),
    selectableFields: {
        'involvedObject.kind': (o) => str(objectOf(o.involvedObject).kind),
        'involvedObject.namespace': (o) => str(objectOf(o.involvedObject).namespace),
        'involvedObject.name': (o) => str(objectOf(o.involvedObject).name),
        'involvedObject.uid': (o) => str(objectOf(o.involvedObject).uid),
        'involvedObject.apiVersion': (o) => str(objectOf(o.involvedObject).apiVersion),
        'involvedObject.resourceVersion': (o) => str(objectOf(o.involvedObject).resourceVersion),
        'involvedObject.fieldPath': (o) => str(objectOf(o.involvedObject).fieldPath),
        reason: (o) => str(o.reason),
        reportingComponent: (o) => str(o.reportingComponent) ?? '',
        source: (o) => str(objectOf(o.source).component),
        type: (o) => str(o.type),
    },
};
// events.k8s.io/v1 ↔ core/v1 Event field mapping (k8s.io/kubernetes/pkg/apis/events/v1 conversion).
const EVENTS_V1_TO_CORE = [
    ['regarding', 'involvedObject'],
    ['note', 'message'],
    ['deprecatedSource', 'source'],
    ['deprecatedFirstTimestamp', 'firstTimestamp'],
    ['deprecatedLastTimestamp', 'lastTimestamp'],
    ['deprecatedCount', 'count'],
    ['reportingController', 'reportingComponent'],
];
function eventToCore(object) {
    const out = { ...object, apiVersion: 'v1', kind: 'Event' };
    for (const [from, to] of EVENTS_V1_TO_CORE) {
        delete out[from];
        if (object[from] !== undefined)
            out[to] = object[from];
    }
    return out;
}
function eventFromCore(object) {
    const out = { ...object, apiVersion: 'events.k8s.io/v1', kind: 'Event' };
    for (const [to, from] of EVENTS_V1_TO_CORE) {
        delete out[from];
        if (object[from] !== undefined)
            out[to] = object[from];
    }
    return out;
}
const leaseStrategy = {
    generation: false,
    allowUnconditionalUpdate: true,
    validate(object) {
        const out = [];
        const spec = objectOf(object.spec);
        if (spec.leaseDurationSeconds !== undefined && !(Number(spec.leaseDurationSeconds) > 0)) {
            out.push(invalid('spec.leaseDurationSeconds', spec.leaseDurationSeconds, 'must be greater than 0'));
        }
        if (spec.leaseTransitions !== undefined && Number(spec.leaseTransitions) < 0) {
            out.push(invalid('spec.leaseTransitions', spec.leaseTransitions, 'must be greater than or equal to 0'));
        }
        return out;
    },
};
const crdStrategy = { generation: true, allowUnconditionalUpdate: false };
const mapOfStrings = { type: 'object', additionalProperties: { type: 'string' } };
const openObject = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
export const CRD_TYPE = base({
    group: 'apiextensions.k8s.io',
    version: 'v1',
    kind: 'CustomResourceDefinition',
    plural: 'customresourcedefinitions',
    singular: 'customresourcedefinition',
    shortNames: ['crd', 'crds'],
    categories: ['api-extensions'],
    namespaced: false,
    statusSubresource: true,
    printerColumns: [
        {
            name: 'Created At',
            type: 'date',
            description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
            // The CRD table prints the timestamp itself, not an age.
            cell: (o) => o.metadata.creationTimestamp,
        },
    ],
    strategy: crdStrategy,
    openAPISchema: { type: 'object', properties: { spec: openObject, status: openObject } },
});
export function builtinTypes() {
    const coreEvent = base({
        group: '',
        version: 'v1',
        kind: 'Event',
        plural: 'events',
        singular: 'event',
        shortNames: ['ev'],
        namespaced: true,
        printerColumns: [
            {
                name: 'Last Seen',
                type: 'string',
                cell: (o, now) => age(str(o.lastTimestamp) ?? str(o.eventTime) ?? o.metadata.creationTimestamp, now),
            },
            { name: 'Type', type: 'string', cell: (o) => str(o.type) ?? '' },
            { name: 'Reason', type: 'string', cell: (o) => str(o.reason) ?? '' },
            {
                name: 'Object',
                type: 'string',
                cell: (o) => {
                    const ref = objectOf(o.involvedObject);
                    return `${(str(ref.kind) ?? '').toLowerCase()}/${str(ref.name) ?? ''}`;
                },
            },
            { name: 'Message', type: 'string', cell: (o) => str(o.message) ?? '' },
        ],
        strategy: eventStrategy,
        storageKey: '/events',
        openAPISchema: openObject,
    });
    return [
        base({
            group: '',
            version: 'v1',
            kind: 'Namespace',
            plural: 'namespaces',
            singular: 'namespace',
            shortNames: ['ns'],
            namespaced: false,
            statusSubresource: true,
            verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
            printerColumns: [
                { name: 'Status', type: 'string', cell: (o) => str(objectOf(o.status).phase) ?? '' },
                AGE_COLUMN,
            ],
            strategy: namespaceStrategy,
            openAPISchema: { type: 'object', properties: { spec: openObject, status: openObject } },
        }),
        base({
            group: '',
            version: 'v1',
            kind: 'Secret',
            plural: 'secrets',
            singular: 'secret',
            namespaced: true,
            printerColumns: [
                { name: 'Type', type: 'string', cell: (o) => str(o.type) ?? '' },
                { name: 'Data', type: 'integer', cell: (o) => Object.keys(objectOf(o.data)).length },
                AGE_COLUMN,
            ],
            strategy: secretStrategy,
            openAPISchema: {
                type: 'object',
                properties: {
                    data: mapOfStrings,
                    stringData: mapOfStrings,
                    type: { type: 'string' },
                    immutable: { type: 'boolean' },
                },
            },
        }),
        base({
            group: '',
            version: 'v1',
            kind: 'ConfigMap',
            plural: 'configmaps',
            singular: 'configmap',
            shortNames: ['cm'],
            namespaced: true,
            printerColumns: [
                { name: 'Data', type: 'integer', cell: (o) => Object.keys(objectOf(o.data)).length },
                AGE_COLUMN,
            ],
            strategy: configMapStrategy,
            openAPISchema: {
                type: 'object',
                properties: { data: mapOfStrings, binaryData: mapOfStrings, immutable: { type: 'boolean' } },
            },
        }),
        coreEvent,
        base({
            ...coreEvent,
            group: 'events.k8s.io',
            version: 'v1',
            printerColumns: coreEvent.printerColumns,
            fromStorage: eventFromCore,
            toStorage: eventToCore,
            // events.k8s.io/v1 field selectors use the new names.
            strategy: {
                ...eventStrategy,
                validate: (o, old) => (old ? legacyEventCauses(o) : eventsV1Causes(o)),
                selectableFields: {
                    ...eventStrategy.selectableFields,
                    'regarding.kind': (o) => str(objectOf(o.involvedObject).kind),
                    'regarding.name': (o) => str(objectOf(o.involvedObject).name),
                    'regarding.namespace': (o) => str(objectOf(o.involvedObject).namespace),
                    'regarding.uid': (o) => str(objectOf(o.involvedObject).uid),
                    reportingController: (o) => str(o.reportingComponent),
                },
            },
        }),
        base({
            group: 'coordination.k8s.io',
            version: 'v1',
            kind: 'Lease',
            plural: 'leases',
            singular: 'lease',
            namespaced: true,
            printerColumns: [
                { name: 'Holder', type: 'string', cell: (o) => str(objectOf(o.spec).holderIdentity) ?? '' },
                AGE_COLUMN,
            ],
            strategy: leaseStrategy,
            openAPISchema: {
                type: 'object',
                properties: {
                    spec: {
                        type: 'object',
                        properties: {
                            holderIdentity: { type: 'string' },
                            leaseDurationSeconds: { type: 'integer' },
                            acquireTime: { type: 'string', format: 'date-time' },
                            renewTime: { type: 'string', format: 'date-time' },
                            leaseTransitions: { type: 'integer' },
                            strategy: { type: 'string' },
                            preferredHolder: { type: 'string' },
                        },
                    },
                },
            },
        }),
        CRD_TYPE,
    ];
}
export { plain as plainStrategy };
//# sourceMappingURL=builtins.js.map