import { fileURLToPath } from 'node:url';
import { summarizerEnvOf } from '@keyless/app-service-to-service/dist/summarizerEnv.js';
import { EMULATOR_ENV_KINDS, startEmulator } from '@keyless/testing';
import { formatTable, runMatrix, type SampleApp } from './runMatrix.js';

// The main job: start the emulator, run every sample app with every strategy against it, print
// the table, exit non-zero if any cell failed. No Azure account needed.
const script = (pkg: string) => fileURLToPath(import.meta.resolve(`@keyless/app-${pkg}/dist/cli.js`));
const apps: SampleApp[] = [
  { name: 'openai-chat', script: script('openai-chat'), args: [] },
  { name: 'langchain-pipeline', script: script('langchain-pipeline'), args: [] },
  { name: 'ai-sdk-chat', script: script('ai-sdk-chat'), args: [] },
  // Its caller hop needs an app's Entra identity: an API key cannot get a token for the summarizer,
  // and a developer's (user) token is refused there, since it takes app-only callers.
  {
    name: 'service-to-service',
    script: script('service-to-service'),
    args: ['--demo'],
    skip: ['apiKey', 'developerCli'],
    env: async (emulator) => summarizerEnvOf(emulator),
  },
  // The summarizer acting for its callers (on-behalf-of): two signed-in users, one holding the
  // role and one not (told which assignment to ask for). Its app registration's credential does
  // the exchange, so only the service-principal strategies apply.
  {
    name: 'service-to-service, for users',
    script: script('service-to-service'),
    args: ['--demo'],
    skip: ['apiKey', 'managedIdentity', 'imds', 'default', 'developerCli'],
    env: async (emulator) => {
      const [withRole, withoutRole] = await Promise.all([emulator.signInUser('ada'), emulator.signInUser('grace')]);
      emulator.grantRole(withRole.oid);
      return {
        ...summarizerEnvOf(emulator),
        SUMMARIZER_ON_BEHALF_OF: 'true',
        SUMMARIZER_AUDIENCE: emulator.client.appIdUri,
        SUMMARIZER_DEMO_USER_TOKENS: `${withRole.token} ${withoutRole.token}`,
      };
    },
  },
];
const strategies = EMULATOR_ENV_KINDS;

const emulator = await startEmulator();
console.log(`keyless: emulator on ${emulator.openaiEndpoint} (Azure OpenAI) and ${emulator.authorityHost} (Entra ID)`);
try {
  const cells = await runMatrix(emulator, apps, strategies, (line) => process.stdout.write(line));
  console.log(`\n${formatTable(cells)}\n`);
  const failed = cells.filter((c) => !c.ok);
  for (const cell of failed) console.log(`--- ${cell.app} with ${cell.strategy} ---\n${cell.output}`);
  console.log(
    failed.length === 0 ? `All ${cells.length} runs passed.` : `${failed.length} of ${cells.length} runs failed.`,
  );
  process.exitCode = failed.length === 0 ? 0 : 1;
} finally {
  await emulator.close();
}
