import { startEmulator } from './startEmulator.js';

// Starts the emulator standalone and prints the settings a client needs. Ctrl-C stops it.
const emulator = await startEmulator({
  port: Number(process.env.KEYLESS_EMULATOR_PORT ?? 0) || undefined,
});
const lines = [
  'keyless emulator running (Entra ID + managed identity + Azure OpenAI, all on 127.0.0.1)',
  `  Azure OpenAI endpoint   ${emulator.openaiEndpoint}`,
  `  authority host          ${emulator.authorityHost}  (tenant ${emulator.tenantId})`,
  `  managed identity        ${emulator.managedIdentity.endpoint}`,
  `  deployments             ${emulator.deployments.chat}, ${emulator.deployments.embeddings}  (api-version ${emulator.apiVersion})`,
  '',
  'Environment for each strategy (export these in another shell):',
];
for (const kind of ['apiKey', 'managedIdentity', 'imds', 'msalSecret', 'msalCertificate', 'default'] as const) {
  lines.push(`# ${kind}`);
  for (const [name, value] of Object.entries(emulator.env(kind))) lines.push(`export ${name}=${JSON.stringify(value)}`);
}
console.log(lines.join('\n'));
const stop = () => void emulator.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
