// Label and field selectors as the API server parses them (k8s.io/apimachinery/pkg/labels, /fields).
// https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors
import { errors } from './status.js';
const KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
/** Splits on commas that are not inside parentheses. */
function splitTerms(selector) {
    const terms = [];
    let depth = 0;
    let current = '';
    for (const ch of selector) {
        if (ch === '(')
            depth++;
        if (ch === ')')
            depth--;
        if (ch === ',' && depth === 0) {
            terms.push(current);
            current = '';
        }
        else
            current += ch;
    }
    terms.push(current);
    return terms.map((t) => t.trim()).filter((t) => t.length > 0);
}
function parseRequirement(term) {
    let m = /^!\s*(\S+)$/.exec(term);
    if (m)
        return { key: checkKey(m[1]), op: 'notexists' };
    m = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
    if (m) {
        const values = m[3]
            .split(',')
            .map((v) => v.trim())
            .filter((v) => v.length > 0);
        return { key: checkKey(m[1]), op: m[2], values };
    }
    m = /^([^=!<>\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
    if (m) {
        const op = m[2] === '!=' ? 'notin' : 'in';
        return { key: checkKey(m[1]), op, values: [m[3]] };
    }
    m = /^([^=!<>\s]+)\s*([<>])\s*(-?\d+)$/.exec(term);
    if (m)
        return { key: checkKey(m[1]), op: m[2] === '>' ? 'gt' : 'lt', value: Number(m[3]) };
    m = /^([^=!<>\s()]+)$/.exec(term);
    if (m)
        return { key: checkKey(m[1]), op: 'exists' };
    throw errors.badRequest(`unable to parse requirement: found '${term}', expected: in, notin, =, ==, !=, gt, lt`);
}
function checkKey(key) {
    if (!KEY.test(key)) {
        throw errors.badRequest(`unable to parse requirement: values[0][${key}]: Invalid value: "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`);
    }
    return key;
}
export function parseLabelSelector(selector) {
    if (!selector)
        return () => true;
    const requirements = splitTerms(selector).map(parseRequirement);
    return (labels) => requirements.every((req) => {
        const value = labels?.[req.key];
        switch (req.op) {
            case 'exists':
                return value !== undefined;
            case 'notexists':
                return value === undefined;
            case 'in':
                return value !== undefined && req.values.includes(value);
            case 'notin':
                return value === undefined || !req.values.includes(value);
            case 'gt':
                return value !== undefined && /^-?\d+$/.test(value) && Number(value) > req.value;
            case 'lt':
                return value !== undefined && /^-?\d+$/.test(value) && Number(value) < req.value;
        }
    });
}
/** Parses a metav1.LabelSelector object ({matchLabels, matchExpressions}) into a predicate. */
export function labelSelectorFromObject(selector) {
    const terms = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
    for (const expr of selector.matchExpressions ?? []) {
        const values = (expr.values ?? []).join(',');
        if (expr.operator === 'In')
            terms.push(`${expr.key} in (${values})`);
        else if (expr.operator === 'NotIn')
            terms.push(`${expr.key} notin (${values})`);
        else if (expr.operator === 'Exists')
            terms.push(expr.key);
        else if (expr.operator === 'DoesNotExist')
            terms.push(`!${expr.key}`);
    }
    return parseLabelSelector(terms.join(','));
}
/** Parses `a=b,c!=d` (fields.ParseSelector); `\,` `\=` `\\` escapes are honoured. */
export function parseFieldSelector(selector) {
    if (!selector)
        return [];
    const out = [];
    for (const term of selector.split(/(?<!\\),/)) {
        if (term.trim() === '')
            continue;
        const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(term.trim());
        if (!m)
            throw errors.badRequest(`invalid selector: '${selector}'; can't understand '${term}'`);
        const value = m[3].replace(/\\([,=\\])/g, '$1');
        out.push({ field: m[1], op: m[2] === '!=' ? '!=' : '=', value });
    }
    return out;
}
//# sourceMappingURL=selectors.js.map