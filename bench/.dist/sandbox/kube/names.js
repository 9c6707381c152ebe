// Object name rules (k8s.io/apimachinery/pkg/util/validation) and generated names.
import { randomInt } from 'node:crypto';
import { invalid, required } from '../../api/structural/index.js';
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export function validateName(name, generateName, rule) {
    if (!name) {
        return generateName ? [] : [required('metadata.name', 'name or generateName is required')];
    }
    if (rule === 'label') {
        if (name.length > 63 || !DNS1123_LABEL.test(name)) {
            return [
                invalid('metadata.name', name, `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`),
            ];
        }
        return [];
    }
    if (rule === 'path-segment') {
        return name === '.' || name === '..' || /[/%]/.test(name)
            ? [invalid('metadata.name', name, "may not contain '/' or '%'")]
            : [];
    }
    if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
        return [
            invalid('metadata.name', name, `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`),
        ];
    }
    return [];
}
// names.SimpleNameGenerator: 5 characters from an alphabet without vowels or confusable digits.
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
export function generateName(base) {
    const prefix = base.length > 58 ? base.slice(0, 58) : base;
    let suffix = '';
    for (let i = 0; i < 5; i++)
        suffix += ALPHABET[randomInt(ALPHABET.length)];
    return prefix + suffix;
}
//# sourceMappingURL=names.js.map