// Server-side printing: `Accept: application/json;as=Table;v=v1;g=meta.k8s.io` gets a meta.k8s.io/v1 Table
// whose columns are the CRD's additionalPrinterColumns (or a built-in's columns), as `kubectl get` expects.
// https://kubernetes.io/docs/reference/using-api/api-concepts/#receiving-resources-as-tables
import { evaluateJsonPath } from './jsonpath.js';
const NAME_COLUMN = {
    name: 'Name',
    type: 'string',
    format: 'name',
    description: 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
    priority: 0,
};
/** duration.HumanDuration from k8s.io/apimachinery: `45s`, `5m3s`, `3h20m`, `2d4h`, … */
export function humanDuration(ms) {
    const seconds = Math.floor(ms / 1000);
    if (seconds < -1)
        return '<invalid>';
    if (seconds < 0)
        return '0s';
    if (seconds < 120)
        return `${seconds}s`;
    const minutes = Math.floor(seconds / 60);
    if (minutes < 10)
        return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
    if (minutes < 180)
        return `${minutes}m`;
    const hours = Math.floor(minutes / 60);
    if (hours < 8)
        return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
    if (hours < 48)
        return `${hours}h`;
    if (hours < 24 * 8)
        return hours % 24 === 0 ? `${hours / 24}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
    if (hours < 24 * 365 * 2)
        return `${Math.floor(hours / 24)}d`;
    if (hours < 24 * 365 * 8) {
        const days = Math.floor(hours / 24) % 365;
        return days === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${days}d`;
    }
    return `${Math.floor(hours / 24 / 365)}y`;
}
export function age(timestamp, now) {
    if (!timestamp)
        return '<unknown>';
    const t = Date.parse(timestamp);
    return Number.isNaN(t) ? '<unknown>' : humanDuration(now.getTime() - t);
}
const isComputed = (column) => 'cell' in column;
// cellForJSONValue in apiextensions-apiserver's tableconvertor.
function cellFor(column, object, now) {
    const results = evaluateJsonPath(column.jsonPath, object);
    if (results.length === 0)
        return null;
    const value = results[0];
    switch (column.type) {
        case 'string':
            return typeof value === 'string' ? value : JSON.stringify(value);
        case 'integer':
            return typeof value === 'number' && Number.isInteger(value) ? value : null;
        case 'number':
            return typeof value === 'number' ? value : null;
        case 'boolean':
            return typeof value === 'boolean' ? value : null;
        case 'date':
            return typeof value === 'string' ? age(value, now) : null;
    }
}
export function columnDefinitions(type) {
    return [
        NAME_COLUMN,
        ...type.printerColumns.map((c) => ({
            name: c.name,
            type: c.type === 'date' ? 'string' : c.type,
            format: c.format ?? '',
            description: c.description ?? '',
            priority: c.priority ?? 0,
        })),
    ];
}
function rowObject(object, include) {
    if (include === 'None')
        return undefined;
    if (include === 'Object')
        return object;
    return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata };
}
export function tableRow(type, object, include, now) {
    const cells = [object.metadata.name];
    for (const column of type.printerColumns) {
        cells.push(isComputed(column) ? column.cell(object, now) : cellFor(column, object, now));
    }
    const row = { cells };
    const embedded = rowObject(object, include);
    if (embedded !== undefined)
        row.object = embedded;
    return row;
}
export function toTable(type, objects, listMeta, include, now, withColumns = true) {
    return {
        kind: 'Table',
        apiVersion: 'meta.k8s.io/v1',
        metadata: listMeta,
        columnDefinitions: withColumns ? columnDefinitions(type) : [],
        rows: objects.map((o) => tableRow(type, o, include, now)),
    };
}
//# sourceMappingURL=table.js.map