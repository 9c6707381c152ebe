// The JSONPath subset CRD printer columns use (k8s.io/client-go/util/jsonpath): `.a.b`, `['a.b']`,
// `[0]`, `[-1]`, `[*]`, `.*`, and filters `[?(@.type=="Ready")]`, `[?(@.x)]`, `[?(@.n > 1)]`.
import { isJsonObject } from '../../api/structural/index.js';
const cache = new Map();
export function compileJsonPath(expression) {
    const cached = cache.get(expression);
    if (cached)
        return cached;
    let text = expression.trim();
    if (text.startsWith('{') && text.endsWith('}'))
        text = text.slice(1, -1).trim();
    if (text.startsWith('$'))
        text = text.slice(1);
    const steps = [];
    let i = 0;
    while (i < text.length) {
        const ch = text[i];
        if (ch === '.') {
            i++;
            if (text[i] === '*') {
                steps.push({ kind: 'wildcard' });
                i++;
                continue;
            }
            const m = /^[^.[\]]+/.exec(text.slice(i));
            if (!m)
                continue;
            steps.push({ kind: 'field', name: m[0] });
            i += m[0].length;
        }
        else if (ch === '[') {
            const end = findClose(text, i);
            const inner = text.slice(i + 1, end).trim();
            i = end + 1;
            if (inner === '*')
                steps.push({ kind: 'wildcard' });
            else if (/^-?\d+$/.test(inner))
                steps.push({ kind: 'index', index: Number(inner) });
            else if (/^'.*'$|^".*"$/.test(inner))
                steps.push({ kind: 'field', name: inner.slice(1, -1) });
            else if (inner.startsWith('?(') && inner.endsWith(')'))
                steps.push(parseFilter(inner.slice(2, -1)));
            else
                throw new Error(`unsupported JSONPath segment [${inner}] in ${expression}`);
        }
        else {
            const m = /^[^.[\]]+/.exec(text.slice(i));
            if (!m)
                throw new Error(`unexpected ${ch} in JSONPath ${expression}`);
            steps.push({ kind: 'field', name: m[0] });
            i += m[0].length;
        }
    }
    cache.set(expression, steps);
    return steps;
}
function findClose(text, open) {
    let depth = 0;
    let quote;
    for (let j = open; j < text.length; j++) {
        const c = text[j];
        if (quote) {
            if (c === quote)
                quote = undefined;
        }
        else if (c === '"' || c === "'")
            quote = c;
        else if (c === '[')
            depth++;
        else if (c === ']' && --depth === 0)
            return j;
    }
    throw new Error(`unterminated [ in JSONPath ${text}`);
}
function parseFilter(expr) {
    const m = /^@((?:\.[A-Za-z0-9_-]+)+)\s*(?:(==|!=|<=|>=|<|>)\s*(.+))?$/.exec(expr.trim());
    if (!m)
        throw new Error(`unsupported JSONPath filter ${expr}`);
    const path = m[1].split('.').filter(Boolean);
    if (!m[2])
        return { kind: 'filter', path };
    const raw = m[3].trim();
    let literal;
    if (/^'.*'$|^".*"$/.test(raw))
        literal = raw.slice(1, -1);
    else if (raw === 'true' || raw === 'false')
        literal = raw === 'true';
    else
        literal = Number(raw);
    return { kind: 'filter', path, op: m[2], literal };
}
function get(value, path) {
    let current = value;
    for (const name of path) {
        if (!isJsonObject(current))
            return undefined;
        current = current[name];
    }
    return current;
}
function filterMatches(item, step) {
    const value = get(item, step.path);
    if (!step.op)
        return value !== undefined && value !== null;
    const lit = step.literal;
    switch (step.op) {
        case '==':
            return value === lit || (typeof lit === 'number' && Number(value) === lit);
        case '!=':
            return value !== lit;
        case '<':
            return Number(value) < Number(lit);
        case '>':
            return Number(value) > Number(lit);
        case '<=':
            return Number(value) <= Number(lit);
        case '>=':
            return Number(value) >= Number(lit);
        default:
            return false;
    }
}
/** All results of the path (empty when nothing matches). */
export function evaluateJsonPath(expression, root) {
    let current = [root];
    for (const step of compileJsonPath(expression)) {
        const next = [];
        for (const value of current) {
            switch (step.kind) {
                case 'field':
                    if (isJsonObject(value) && value[step.name] !== undefined)
                        next.push(value[step.name]);
                    break;
                case 'index':
                    if (Array.isArray(value)) {
                        const item = value[step.index < 0 ? value.length + step.index : step.index];
                        if (item !== undefined)
                            next.push(item);
                    }
                    break;
                case 'wildcard':
                    if (Array.isArray(value))
                        next.push(...value);
                    else if (isJsonObject(value))
                        next.push(...Object.values(value));
                    break;
                case 'filter':
                    if (Array.isArray(value))
                        next.push(...value.filter((item) => filterMatches(item, step)));
                    break;
            }
        }
        current = next;
    }
    return current;
}
//# sourceMappingURL=jsonpath.js.map