// Property: on the parts of the schema plain JSON Schema can express (types, patterns, enums, bounds,
// required), our validator and ajv — an independent implementation — agree on every perturbed resource.
// Where they may differ is only where ajv is blind: the CEL rules and the time zone check — and `null`,
// which Kubernetes treats as absent (it defaults or drops a non-nullable null) and ajv as a wrong type.
import { Ajv } from 'ajv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openApiSchema, validateServiceFabricRotation, type FieldError } from '../../src/api/index.js';
import { walkSchema } from '../../src/api/schema-kit.js';
import { serviceFabricSample, variant } from './fixtures.js';

const schema = openApiSchema('ServiceFabricCertificateRotation');

function compileAjv() {
  const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });
  for (const keyword of [
    'x-kubernetes-validations',
    'x-kubernetes-preserve-unknown-fields',
    'x-kubernetes-list-type',
    'x-kubernetes-list-map-keys',
  ]) {
    ajv.addKeyword(keyword);
  }
  ajv.addFormat('int64', true).addFormat('date-time', true);
  return ajv.compile(schema);
}

const ruleMessages = new Set<string>();
walkSchema(schema, (node) => {
  for (const rule of node['x-kubernetes-validations'] ?? []) ruleMessages.add(rule.message ?? '');
});

/** Errors ajv cannot see: CEL rule failures and the note that rules were skipped. */
function isRuleError(error: FieldError): boolean {
  return [...ruleMessages].some((m) => error.message.includes(m)) || error.field === '';
}

const anyValue = fc.oneof(
  fc.string({ maxLength: 50 }),
  fc.integer({ min: -5, max: 100_000 }),
  fc.boolean(),
  fc.stringMatching(/^[0-9A-Fa-f]{38,42}$/),
  fc.constantFrom('My', 'Root', 'CommonName', 'Thumbprint', '30d', '12h', 'kvr-demo-kv', '3.0'),
);

const FIELDS = [
  'spec.azure.subscriptionId',
  'spec.azure.resourceGroup',
  'spec.cluster.name',
  'spec.certificate.vault',
  'spec.certificate.name',
  'spec.certificate.commonName',
  'spec.certificate.issuerThumbprints.0',
  'spec.certificate.x509StoreName',
  'spec.mode',
  'spec.keyVaultExtension.pollingIntervalInS',
  'spec.keyVaultExtension.typeHandlerVersion',
  'spec.keyVaultExtension.requireInitialSync',
  'spec.policy.expiryWarning',
  'spec.policy.approval',
];

describe('our validator and ajv agree on the JSON-Schema part', () => {
  it('for random values in random fields', () => {
    const ajvValidate = compileAjv();
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...FIELDS), anyValue, { maxKeys: 3 }), (changes) => {
        const input = variant(serviceFabricSample(), changes);
        const ajvValid = ajvValidate(structuredClone(input));
        const ours = validateServiceFabricRotation(input);
        const schemaErrors = ours.ok ? [] : ours.errors.filter((e) => !isRuleError(e));
        expect(
          schemaErrors.length === 0,
          JSON.stringify({ changes, schemaErrors, ajv: ajvValidate.errors }),
        ).toBe(ajvValid);
      }),
      { numRuns: 300, seed: 20261122 },
    );
  });
});
