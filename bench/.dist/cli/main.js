// Composition root of the `kv-rollover` binary: one verb per module, loaded lazily so that
// `kv-rollover crds` does not pay for the Azure SDKs.
import 'reflect-metadata';
import { COMMANDS } from './commands/index.js';
import { UsageError } from './usage-error.js';
const USAGE = `Usage: kv-rollover <command> [options]

Commands:
${Object.entries(COMMANDS)
    .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
    .join('\n')}

Run \`kv-rollover <command> --help\` for the options of a command.`;
function isCommandName(name) {
    return Object.hasOwn(COMMANDS, name);
}
/** node:util parseArgs rejects unknown or malformed options with these codes. */
function isParseArgsError(err) {
    return err instanceof Error && String(err.code).startsWith('ERR_PARSE_ARGS');
}
async function main(argv) {
    const [name, ...rest] = argv;
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
        console.log(USAGE);
        return name === undefined ? 2 : 0;
    }
    if (!isCommandName(name)) {
        console.error(`kv-rollover: unknown command '${name}'.\n\n${USAGE}`);
        return 2;
    }
    const command = await COMMANDS[name].load();
    return command(rest);
}
try {
    process.exitCode = await main(process.argv.slice(2));
}
catch (err) {
    if (err instanceof UsageError || isParseArgsError(err)) {
        console.error(`kv-rollover: ${err.message}`);
        process.exitCode = 2;
    }
    else {
        console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
        process.exitCode = 1;
    }
}
//# sourceMappingURL=main.js.map