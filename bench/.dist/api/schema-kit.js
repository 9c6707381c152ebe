// Helpers for writing Kubernetes structural schemas with TypeBox: the TypeScript types come from
// `Static<typeof schema>`, and the CRD's openAPIV3Schema is the same schema serialised by `toStructural`.
// Structural means (Kubernetes "Specifying a structural schema"): a `type` on every node, no `$ref`,
// no `anyOf`/`oneOf` used for enums, no `additionalProperties: false`.
import { Type } from '@sinclair/typebox';
/**
 * A string enum as Kubernetes wants it (`type: string` + `enum`), typed as the union of its values.
 * TypeBox's own `Type.Union(Type.Literal…)` would serialise to `anyOf` of consts, which is not structural.
 */
export function StringEnum(values, options) {
    return Type.Unsafe({ ...options, type: 'string', enum: [...values] });
}
/** An integer enum (`type: integer` + `enum`), typed as the union of its values. */
export function IntegerEnum(values, options) {
    return Type.Unsafe({ ...options, type: 'integer', enum: [...values] });
}
/** An object whose content Kubernetes keeps as given (`x-kubernetes-preserve-unknown-fields`). */
export function OpaqueObject(options) {
    return Type.Unsafe({
        ...options,
        type: 'object',
        'x-kubernetes-preserve-unknown-fields': true,
    });
}
/**
 * Serialise a TypeBox schema into the plain structural schema the CRD carries.
 *
 * A property with a `default` is never `required` in the CRD: the API server applies defaults before it
 * validates, so the object users send may omit it, while every object the API server returns has it. The
 * TypeScript type (from `Static`) describes the object as served, so such properties are declared required
 * in TypeBox and dropped from `required` here.
 */
export function toStructural(schema) {
    // JSON round trip: drops TypeBox's symbol-keyed metadata ([Kind], [OptionalKind]).
    const plain = JSON.parse(JSON.stringify(schema));
    return normalise(plain);
}
// Keyword order in the CRD: what a reader looks for first, then the rest alphabetically.
const LEADING_KEYWORDS = ['description', 'type'];
function orderKeywords(node) {
    const keys = Object.keys(node);
    const ordered = [
        ...LEADING_KEYWORDS.filter((k) => k in node),
        ...keys.filter((k) => !LEADING_KEYWORDS.includes(k)).sort(),
    ];
    const copy = {};
    for (const key of ordered)
        copy[key] = node[key];
    return copy;
}
function normalise(input) {
    const node = orderKeywords(input);
    if (node.properties) {
        for (const [name, child] of Object.entries(node.properties))
            node.properties[name] = normalise(child);
        if (node.required) {
            const properties = node.properties;
            const required = node.required.filter((name) => properties[name]?.default === undefined);
            if (required.length > 0)
                node.required = required;
            else
                delete node.required;
        }
    }
    if (node.items)
        node.items = normalise(node.items);
    return node;
}
/** Walk every node of a structural schema with its path (`spec.nodeTypes[].name`). */
export function walkSchema(node, visit, path = '') {
    visit(node, path);
    for (const [name, child] of Object.entries(node.properties ?? {})) {
        walkSchema(child, visit, path === '' ? name : `${path}.${name}`);
    }
    if (node.items)
        walkSchema(node.items, visit, `${path}[]`);
}
//# sourceMappingURL=schema-kit.js.map