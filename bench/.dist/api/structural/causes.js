// Field errors as the Kubernetes API server reports them (k8s.io/apimachinery/pkg/util/validation/field):
// each has a cause type (metav1.CauseType), the field path, and a message body formatted like
// field.Error.ErrorBody(), e.g. `Unsupported value: "X": supported values: "A", "B"`.
// The human prefix each type prints (field.ErrorType.String()).
const TYPE_TEXT = {
    FieldValueNotFound: 'Not found',
    FieldValueRequired: 'Required value',
    FieldValueDuplicate: 'Duplicate value',
    FieldValueInvalid: 'Invalid value',
    FieldValueNotSupported: 'Unsupported value',
    FieldValueForbidden: 'Forbidden',
    FieldValueTooLong: 'Too long',
    FieldValueTooMany: 'Too many',
    InternalError: 'Internal error',
    FieldValueTypeInvalid: 'Invalid value',
};
/** Renders a bad value as Go's ErrorBody does: strings quoted, scalars bare, the rest as JSON. */
export function formatBadValue(value) {
    // Go turns a nil bad value into the string "null" before quoting it.
    if (value === null || value === undefined)
        return '"null"';
    if (typeof value === 'string')
        return JSON.stringify(value);
    if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
        return String(value);
    return JSON.stringify(value);
}
const OMIT = Symbol('omit');
function body(type, value, detail) {
    let text = TYPE_TEXT[type];
    const bare = type === 'FieldValueRequired' ||
        type === 'FieldValueForbidden' ||
        type === 'FieldValueTooLong' ||
        type === 'InternalError' ||
        value === OMIT;
    if (!bare)
        text += `: ${formatBadValue(value)}`;
    return detail ? `${text}: ${detail}` : text;
}
function cause(type, field, value, detail) {
    return { type, field, message: body(type, value, detail) };
}
/** field.Required */
export const required = (field, detail = '') => cause('FieldValueRequired', field, OMIT, detail);
/** field.Invalid */
export const invalid = (field, value, detail) => cause('FieldValueInvalid', field, value, detail);
/** field.TypeInvalid */
export const typeInvalid = (field, value, detail) => cause('FieldValueTypeInvalid', field, value, detail);
/** field.Forbidden */
export const forbidden = (field, detail) => cause('FieldValueForbidden', field, OMIT, detail);
/** field.Duplicate */
export const duplicate = (field, value) => cause('FieldValueDuplicate', field, value, '');
/** field.NotFound */
export const notFound = (field, value) => cause('FieldValueNotFound', field, value, '');
/** field.InternalError */
export const internalError = (field, detail) => cause('InternalError', field, OMIT, detail);
/** field.NotSupported: `Unsupported value: "X": supported values: "A", "B"`. */
export function notSupported(field, value, supported) {
    // strconv.Quote(fmt.Sprint(v)) for each supported value.
    const quoted = supported.map((v) => JSON.stringify(typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)));
    return cause('FieldValueNotSupported', field, value, supported.length ? `supported values: ${quoted.join(', ')}` : '');
}
/** field.TooLong (1.32+ wording). */
export function tooLong(field, maxLength) {
    const unit = maxLength === 1 ? 'byte' : 'bytes';
    return cause('FieldValueTooLong', field, OMIT, `may not be more than ${maxLength} ${unit}`);
}
/** field.TooMany */
export function tooMany(field, actual, max) {
    return cause('FieldValueTooMany', field, actual, `must have at most ${max} ${max === 1 ? 'item' : 'items'}`);
}
/** `field: message`, as field.Error.Error() prints it (the root path prints as `<nil>`). */
export function causeToString(c) {
    return `${c.field || '<nil>'}: ${c.message}`;
}
/** utilerrors.Aggregate: one error alone, several as `[a, b]`. */
export function aggregateMessage(causes) {
    const parts = causes.map(causeToString);
    return parts.length === 1 ? (parts[0] ?? '') : `[${parts.join(', ')}]`;
}
/**
 * The message of apierrors.NewInvalid: `Kind.group "name" is invalid: <aggregate>`.
 * Use with reason `Invalid`, code 422 and `details.causes` = the causes.
 */
export function invalidMessage(kind, group, name, causes) {
    const qualified = group ? `${kind}.${group}` : kind;
    const head = `${qualified} ${JSON.stringify(name)} is invalid`;
    return causes.length ? `${head}: ${aggregateMessage(causes)}` : head;
}
// Path building, as field.Path prints it.
export function childPath(path, name) {
    return path ? `${path}.${name}` : name;
}
export function indexPath(path, index) {
    return `${path}[${index}]`;
}
export function keyPath(path, key) {
    return `${path}[${key}]`;
}
//# sourceMappingURL=causes.js.map