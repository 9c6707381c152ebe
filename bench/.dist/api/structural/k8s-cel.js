// Part of the Kubernetes CEL libraries the API server adds to `x-kubernetes-validations`
// (https://kubernetes.io/docs/reference/using-api/cel/#kubernetes-list-library and
// #kubernetes-regex-library): list `isSorted`, `sum`, `min`, `max`, `indexOf`, `lastIndexOf`, and string
// `find`, `findAll`. Values are compared as CEL compares them within one type (int, double, string).
import { CelScalar, celMethod, listType } from '@bufbuild/cel';
const LIST = listType(CelScalar.DYN);
const { DYN, BOOL, INT, STRING } = CelScalar;
function items(list) {
    return [...list];
}
function compare(a, b) {
    if (typeof a !== typeof b)
        throw new Error('no such overload');
    return a < b ? -1 : a > b ? 1 : 0;
}
function extreme(list, sign) {
    const values = items(list);
    if (values.length === 0)
        throw new Error(sign === 1 ? 'max of empty list' : 'min of empty list');
    return values.reduce((best, v) => (compare(v, best) * sign > 0 ? v : best));
}
function equal(a, b) {
    return a === b || (typeof a === 'bigint' && typeof b === 'bigint' && a === b);
}
export const kubernetesCelFunctions = [
    celMethod('isSorted', LIST, [], BOOL, function () {
        const values = items(this);
        return values.every((v, i) => i === 0 || compare(values[i - 1], v) <= 0);
    }),
    celMethod('sum', LIST, [], DYN, function () {
        const values = items(this);
        if (values.length === 0)
            return 0n;
        if (typeof values[0] === 'bigint')
            return values.reduce((a, b) => a + b, 0n);
        return values.reduce((a, b) => a + b, 0);
    }),
    celMethod('max', LIST, [], DYN, function () {
        return extreme(this, 1);
    }),
    celMethod('min', LIST, [], DYN, function () {
        return extreme(this, -1);
    }),
    celMethod('indexOf', LIST, [DYN], INT, function (value) {
        return BigInt(items(this).findIndex((v) => equal(v, value)));
    }),
    celMethod('lastIndexOf', LIST, [DYN], INT, function (value) {
        return BigInt(items(this).findLastIndex((v) => equal(v, value)));
    }),
    celMethod('find', STRING, [STRING], STRING, function (pattern) {
        return new RegExp(pattern).exec(this)?.[0] ?? '';
    }),
    celMethod('findAll', STRING, [STRING], LIST, function (pattern) {
        return [...this.matchAll(new RegExp(pattern, 'g'))].map((m) => m[0]);
    }),
    celMethod('findAll', STRING, [STRING, INT], LIST, function (pattern, limit) {
        const all = [...this.matchAll(new RegExp(pattern, 'g'))].map((m) => m[0]);
        return limit < 0n ? all : all.slice(0, Number(limit));
    }),
];
//# sourceMappingURL=k8s-cel.js.map