// The README's resource reference, generated from the schema descriptions: per kind, a table of every field
// (path, type, default, description) and the cross-field rules. Tables are padded the way Prettier pads
// them, so the README stays Prettier-clean after regeneration.
import { kindDefinitions } from './crds.js';
import { walkSchema } from './schema-kit.js';
export const REFERENCE_BEGIN = '<!-- BEGIN RESOURCE REFERENCE';
export const REFERENCE_END = '<!-- END RESOURCE REFERENCE -->';
/** The Markdown placed between the README markers. */
export function resourceReferenceMarkdown() {
    const sections = [];
    for (const def of kindDefinitions()) {
        const spec = def.schema.properties?.spec;
        const status = def.schema.properties?.status;
        sections.push(`### ${def.kind} (\`${def.shortName}\`)`);
        if (def.schema.description)
            sections.push(escapeProse(def.schema.description));
        if (spec) {
            sections.push('#### spec');
            sections.push(fieldTable(spec, 'spec'));
            const rules = ruleList(spec, 'spec');
            if (rules)
                sections.push(`Validation rules (CEL, checked by the API server):\n\n${rules}`);
        }
        if (status) {
            sections.push('#### status');
            sections.push(fieldTable(status, 'status'));
        }
    }
    return sections.join('\n\n');
}
/** Replaces the region between the markers of `readme`; throws when the markers are missing. */
export function replaceReference(readme, reference) {
    const begin = readme.indexOf(REFERENCE_BEGIN);
    const end = readme.indexOf(REFERENCE_END);
    if (begin < 0 || end < begin) {
        throw new Error(`README has no '${REFERENCE_BEGIN} …' / '${REFERENCE_END}' markers`);
    }
    const beginLineEnd = readme.indexOf('\n', begin);
    return `${readme.slice(0, beginLineEnd + 1)}\n${reference}\n\n${readme.slice(end)}`;
}
function fieldTable(root, prefix) {
    const rows = [];
    walkSchema(root, (node, path) => {
        if (path === '')
            return;
        rows.push([
            code(`${prefix}.${path}`),
            typeText(node, path, root),
            node.default === undefined ? '' : code(defaultText(node.default)),
            describe(node),
        ]);
    });
    return table(['Field', 'Type', 'Default', 'Description'], rows);
}
function typeText(node, path, root) {
    let text = node.type ?? '';
    if (node.type === 'array' && node.items?.type)
        text = `${node.items.type}[]`;
    if (node.format)
        text += ` (${node.format})`;
    if (isRequired(root, path))
        text += ', required';
    return text;
}
/** Whether the last segment of `path` is required by its parent. */
function isRequired(root, path) {
    const segments = path.split('.');
    const name = segments.pop()?.replace(/\[\]$/, '');
    let parent = root;
    for (const segment of segments) {
        const isList = segment.endsWith('[]');
        parent = parent?.properties?.[segment.replace(/\[\]$/, '')];
        if (isList)
            parent = parent?.items;
    }
    return name !== undefined && (parent?.required ?? []).includes(name) && !path.endsWith('[]');
}
function describe(node) {
    const parts = [escapeProse(node.description ?? '')];
    if (node.enum)
        parts.push(`One of: ${node.enum.map((v) => code(String(v))).join(', ')}.`);
    const limits = [
        node.minimum !== undefined ? `min ${node.minimum}` : '',
        node.maximum !== undefined ? `max ${node.maximum}` : '',
        node.minItems !== undefined ? `at least ${node.minItems} item${node.minItems === 1 ? '' : 's'}` : '',
        node.maxItems !== undefined ? `at most ${node.maxItems} items` : '',
    ].filter((s) => s !== '');
    if (limits.length > 0)
        parts.push(`(${limits.join(', ')})`);
    if (node['x-kubernetes-preserve-unknown-fields'])
        parts.push('Free-form: kept as given.');
    return parts.join(' ');
}
function ruleList(root, prefix) {
    const lines = [];
    walkSchema(root, (node, path) => {
        for (const rule of node['x-kubernetes-validations'] ?? []) {
            const base = path === '' ? prefix : `${prefix}.${path}`;
            const field = rule.fieldPath ? `${base}${rule.fieldPath}` : base;
            lines.push(`- ${code(field)}: ${escapeCell(rule.message ?? rule.rule)}`);
        }
    });
    return lines.join('\n');
}
function code(text) {
    return `\`${text.replace(/\|/g, '\\|')}\``;
}
function escapeCell(text) {
    return escapeProse(text).replace(/\|/g, '\\|');
}
/** Outside code spans, `<name>` would be read as an HTML tag: write it as an entity. */
function escapeProse(text) {
    return text
        .split('`')
        .map((part, i) => (i % 2 === 0 ? part.replace(/</g, '&lt;') : part))
        .join('`');
}
/** A Markdown table padded as Prettier prints it. */
function table(header, rows) {
    const cells = [header, ...rows].map((row) => row.map((cell) => escapeCellOnce(cell)));
    const widths = header.map((_, column) => Math.max(3, ...cells.map((row) => displayWidth(row[column] ?? ''))));
    const line = (row) => `| ${row.map((cell, column) => cell + ' '.repeat((widths[column] ?? 0) - displayWidth(cell))).join(' | ')} |`;
    const [head, ...body] = cells;
    return [line(head ?? []), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...body.map(line)].join('\n');
}
/** Escapes bare pipes (code spans were escaped already). */
function escapeCellOnce(cell) {
    return cell.replace(/(?<!\\)\|/g, '\\|');
}
function displayWidth(text) {
    return [...text].length;
}
function defaultText(value) {
    return typeof value === 'string' ? value : JSON.stringify(value);
}
//# sourceMappingURL=reference.js.map