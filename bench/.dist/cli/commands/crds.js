// `kv-rollover crds`: print the CustomResourceDefinitions as YAML (or JSON); with `--write DIR`, write
// `DIR/<plural>.yaml` and regenerate the README's resource reference between its markers.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { crdObjects, crdsYaml, crdYaml } from '../../api/crds.js';
import { replaceReference, resourceReferenceMarkdown } from '../../api/reference.js';
import { UsageError } from '../usage-error.js';
const HELP = `Usage: kv-rollover crds [-o yaml|json] [--write DIR [--readme FILE | --no-readme]]

Prints the CustomResourceDefinitions of kvrollover.io (multi-document YAML by default).

Options:
  -o, --output FORMAT  yaml (default) or json (a v1 List).
  --write DIR          Write DIR/<plural>.yaml, one file per kind, instead of printing, and regenerate the
                       resource reference in the README (default: the README.md next to DIR).
  --readme FILE        The README whose resource reference to regenerate.
  --no-readme          Do not touch any README.
  -h, --help           Show this help.`;
export const crdsCommand = (argv) => {
    let parsed;
    try {
        parsed = parseArgs({
            args: argv,
            options: {
                output: { type: 'string', short: 'o', default: 'yaml' },
                write: { type: 'string' },
                readme: { type: 'string' },
                'no-readme': { type: 'boolean', default: false },
                help: { type: 'boolean', short: 'h', default: false },
            },
            allowPositionals: false,
        });
    }
    catch (err) {
        throw new UsageError(`crds: ${err instanceof Error ? err.message : String(err)}`);
    }
    const { values } = parsed;
    if (values.help) {
        console.log(HELP);
        return Promise.resolve(0);
    }
    if (values.output !== 'yaml' && values.output !== 'json') {
        throw new UsageError(`crds: --output must be yaml or json, not '${values.output}'`);
    }
    if (values.write === undefined) {
        if (values.output === 'json') {
            const list = { apiVersion: 'v1', kind: 'List', items: crdObjects() };
            process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
        }
        else {
            process.stdout.write(crdsYaml());
        }
        return Promise.resolve(0);
    }
    try {
        writeCrds(values.write, values['no-readme'] ? undefined : (values.readme ?? defaultReadme(values.write)));
    }
    catch (err) {
        console.error(`kv-rollover crds: ${err instanceof Error ? err.message : String(err)}`);
        return Promise.resolve(1);
    }
    return Promise.resolve(0);
};
function defaultReadme(dir) {
    return join(dirname(resolve(dir)), 'README.md');
}
function writeCrds(dir, readme) {
    mkdirSync(dir, { recursive: true });
    for (const crd of crdObjects()) {
        const file = join(dir, `${crd.spec.names.plural}.yaml`);
        writeFileSync(file, crdYaml(crd));
        console.error(`wrote ${file}`);
    }
    if (readme === undefined)
        return;
    if (!existsSync(readme)) {
        console.error(`no ${readme}: resource reference not written`);
        return;
    }
    const before = readFileSync(readme, 'utf8');
    const after = replaceReference(before, resourceReferenceMarkdown()); // throws without markers
    if (after !== before)
        writeFileSync(readme, after);
    console.error(`${after === before ? 'unchanged' : 'updated'} resource reference in ${readme}`);
}
//# sourceMappingURL=crds.js.map