import { readFileSync } from 'node:fs';
import { authFromEnv, isKeylessError } from '@keyless/core';
import { redactText } from '@keyless/core/adapter';
import { Command } from 'commander';
import { inspectToken } from './inspectToken.js';
import { renderDiagnosis, startSpinner } from './render.js';
import { runDoctor } from './runDoctor.js';

/** This package's version, read from its package.json (one directory above dist/). */
function packageVersion(): string {
  const manifest = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
  return (JSON.parse(manifest) as { version: string }).version;
}

const program = new Command('keyless')
  .description('Diagnose Microsoft Entra ID auth for Azure OpenAI.')
  .version(packageVersion(), '-v, --version', 'print the version of @keyless/cli');

program
  .command('doctor')
  .description('explain which credential is used, inspect its token, and classify one call to the endpoint')
  .option('--endpoint <url>', 'Azure OpenAI endpoint (default: AZURE_OPENAI_ENDPOINT)')
  .option(
    '--deployment <name>',
    'deployment to call (default: AZURE_OPENAI_DEPLOYMENT); without one, the models list is read',
  )
  .option('--api-version <version>', 'api-version (default: OPENAI_API_VERSION or 2024-10-21)')
  .option('--json', 'print the report as JSON')
  .action(async (options: { endpoint?: string; deployment?: string; apiVersion?: string; json?: boolean }) => {
    const spinner = options.json ? { update: () => undefined, stop: () => undefined } : startSpinner(process.stderr);
    const diagnosis = await runDoctor({
      env: process.env,
      endpoint: options.endpoint,
      deployment: options.deployment,
      apiVersion: options.apiVersion,
      onStep: (name) => spinner.update(name),
    });
    spinner.stop();
    process.stdout.write(
      options.json
        ? `${JSON.stringify(diagnosis, null, 2)}\n`
        : renderDiagnosis(diagnosis, process.stdout.isTTY === true && !process.env.NO_COLOR),
    );
    process.exitCode = diagnosis.ok ? 0 : 1;
  });

program
  .command('token')
  .description("print the token's claims (never the token, unless --show-token)")
  .option('--decode', 'print the decoded claims (the default)')
  .option('--show-token', 'print the raw token on stdout, for piping into curl (it is a secret)')
  .action(async (options: { showToken?: boolean }) => {
    try {
      const token = await authFromEnv().getToken();
      if (options.showToken) {
        process.stderr.write(
          'warning: this is a bearer token: anyone holding it can call the API as you until it expires. Do not paste it anywhere.\n',
        );
        process.stdout.write(`${token}\n`);
        return;
      }
      process.stdout.write(`${JSON.stringify(inspectToken(token) ?? { error: 'not a JWT' }, null, 2)}\n`);
    } catch (error) {
      process.stderr.write(`${isKeylessError(error) ? error.message : redactText(String(error))}\n`);
      process.exitCode = 1;
    }
  });

await program.parseAsync(process.argv);
