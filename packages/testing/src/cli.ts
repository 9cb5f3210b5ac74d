import { writeFile } from 'node:fs/promises';
import { parseCliOptions, STRATEGIES, USAGE } from './cliOptions.js';
import { startEmulator } from './startEmulator.js';

// `keyless-emulator`: the emulator standalone, for a user's CI or a second shell. See --help.
let options: ReturnType<typeof parseCliOptions>;
try {
  options = parseCliOptions(process.argv.slice(2));
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
if (options.help) {
  console.log(USAGE);
  process.exit(0);
}
const emulator = await startEmulator({
  port: options.port,
  authorityPort: options.authorityPort,
  tokenLifetimeSeconds: options.tokenLifetimeSeconds,
}).catch((error: unknown) => {
  console.error(`keyless-emulator: could not start: ${(error as Error).message}`);
  process.exit(1);
});
const summary = [
  'keyless emulator (Entra ID + managed identity + Azure OpenAI, all on 127.0.0.1)',
  `  Azure OpenAI endpoint   ${emulator.openaiEndpoint}`,
  `  authority host          ${emulator.authorityHost}  (tenant ${emulator.tenantId})`,
  `  managed identity        ${emulator.managedIdentity.endpoint}`,
  `  deployments             ${emulator.deployments.chat}, ${emulator.deployments.embeddings}  (api-version ${emulator.apiVersion})`,
];
if (options.strategy === undefined) {
  summary.push('', `Variables for one strategy: --strategy NAME (${STRATEGIES.join(', ')}).`);
  console.log(summary.join('\n'));
} else {
  const variables = Object.entries(emulator.env(options.strategy));
  if (options.envFile === undefined) {
    summary.push(
      '',
      `# ${options.strategy}`,
      ...variables.map(([name, value]) => `export ${name}=${JSON.stringify(value)}`),
    );
  } else {
    await writeFile(options.envFile, `${variables.map(([name, value]) => `${name}=${value}`).join('\n')}\n`, {
      mode: 0o600,
    });
    summary.push('', `Variables for ${options.strategy} written to ${options.envFile}.`);
  }
  console.log(summary.join('\n'));
}

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  // Bounded: a client holding a connection open must not keep the process alive.
  setTimeout(() => process.exit(0), 5_000).unref();
  void emulator.close().then(() => process.exit(0));
};
// Before the ready line: a SIGTERM sent the moment it is read must find the handler, or Node's
// default ends the process by the signal (no exit code, the emulator not closed).
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

// The one line a CI step waits for, last, once everything above is true.
console.log(`keyless-emulator: ready ${emulator.openaiEndpoint} ${emulator.authorityHost}`);
