// The generated artifacts (crds/*.yaml, the README's resource reference) must match the schemas:
// regenerate them with `npm run crds:generate` (kv-rollover crds --write crds).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as prettier from 'prettier';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { crdObjects, crdYaml } from '../../src/api/index.js';
import {
  REFERENCE_BEGIN,
  REFERENCE_END,
  replaceReference,
  resourceReferenceMarkdown,
} from '../../src/api/reference.js';

const ROOT = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, ROOT), 'utf8');
const STALE = 'out of date: run `npm run crds:generate`';

function cli(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx/esm', 'src/cli/main.ts', 'crds', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 50_000,
  });
}

const scratch = mkdtempSync(join(tmpdir(), 'kvr-crds-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('generated artifacts are up to date', () => {
  it('crds/<plural>.yaml is the serialised schema', () => {
    for (const crd of crdObjects()) {
      expect(read(`crds/${crd.spec.names.plural}.yaml`), `crds/${crd.spec.names.plural}.yaml ${STALE}`).toBe(
        crdYaml(crd),
      );
    }
  });

  it("the README's resource reference is generated from the schema and Prettier-clean", async () => {
    const readme = read('README.md');
    expect(readme, `README resource reference ${STALE}`).toBe(
      replaceReference(readme, resourceReferenceMarkdown()),
    );
    const options = (await prettier.resolveConfig(new URL('README.md', ROOT))) ?? {};
    const formatted = await prettier.format(readme, { ...options, parser: 'markdown' });
    expect(formatted).toBe(readme);
  });

  it('the reference documents every kind, field and rule', () => {
    const reference = resourceReferenceMarkdown();
    expect(reference).toContain('### ServiceFabricCertificateRotation (`sfcr`)');
    expect(reference).toContain('### BatchPoolCertificateRotation (`bpcr`)');
    expect(reference).toMatch(/\| `spec\.certificate\.issuerThumbprints\[\]` +\| string +\|/);
    expect(reference).toMatch(/\| `spec\.policy\.approval` +\| string +\| `Automatic` +\|/);
    expect(reference).toContain('mode CommonName needs at least one pinned issuer thumbprint');
  });
});

describe('kv-rollover crds', () => {
  it('prints both CRDs as multi-document YAML', () => {
    const res = cli([]);
    expect(res.status, res.stderr).toBe(0);
    const docs = parseAllDocuments(res.stdout).map((d) => d.toJSON() as unknown);
    expect(docs).toEqual(crdObjects());
  });

  it('prints a JSON List with -o json, and refuses another format', () => {
    const res = cli(['-o', 'json']);
    expect(res.status, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual({ apiVersion: 'v1', kind: 'List', items: crdObjects() });
    const bad = cli(['-o', 'xml']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--output must be yaml or json/);
  });

  it('--write DIR writes one file per kind and regenerates the README reference', () => {
    const readme = join(scratch, 'README.md');
    writeFileSync(
      readme,
      `# x\n\n${REFERENCE_BEGIN} (generated) -->\nstale text\n${REFERENCE_END}\n\n## After\n`,
    );
    const res = cli(['--write', join(scratch, 'crds'), '--readme', readme]);
    expect(res.status, res.stderr).toBe(0);
    for (const crd of crdObjects()) {
      const plural = crd.spec.names.plural;
      expect(readFileSync(join(scratch, 'crds', `${plural}.yaml`), 'utf8')).toBe(crdYaml(crd));
    }
    const after = readFileSync(readme, 'utf8');
    expect(after).not.toContain('stale text');
    expect(after).toContain('### ServiceFabricCertificateRotation');
    expect(after.endsWith(`${REFERENCE_END}\n\n## After\n`)).toBe(true);
  });

  it('fails clearly on a README without markers', () => {
    const readme = join(scratch, 'NO-MARKERS.md');
    writeFileSync(readme, '# nothing here\n');
    const res = cli(['--write', join(scratch, 'crds2'), '--readme', readme]);
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/no '<!-- BEGIN RESOURCE REFERENCE/);
  });
});
