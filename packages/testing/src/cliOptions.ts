import { parseArgs } from 'node:util';
import { type EmulatorEnvKind, EMULATOR_ENV_KINDS as STRATEGIES } from './startEmulator.js';

export { STRATEGIES };

export const USAGE = `Usage: keyless-emulator [options]

A local Entra ID + managed identity + Azure OpenAI emulator on 127.0.0.1, speaking the real
protocols, for your tests and CI. Runs until SIGTERM or Ctrl-C.

Options:
  --strategy NAME        print the variables that make authFromEnv() use NAME against the emulator
                         (${STRATEGIES.join(', ')})
  --write-env PATH       write those variables to PATH (KEY=value lines) instead of printing them;
                         needs --strategy
  --port N               the Azure OpenAI and managed-identity port (default: a free one)
  --authority-port N     the Entra ID (https) port (default: a free one)
  --token-lifetime SEC   lifetime of issued tokens in seconds (default 3600)
  -h, --help             print this and exit

Once listening it prints one line a CI step can wait for:
  keyless-emulator: ready <Azure OpenAI endpoint> <authority host>
Exit codes: 0 after SIGTERM/SIGINT, 2 for bad options, 1 if it cannot start.`;

/** What the command line asks for. */
export interface CliOptions {
  help: boolean;
  strategy: EmulatorEnvKind | undefined;
  envFile: string | undefined;
  port: number | undefined;
  authorityPort: number | undefined;
  tokenLifetimeSeconds: number | undefined;
}

/** Parses argv; throws an Error whose message names the option and the fix. */
export function parseCliOptions(argv: string[]): CliOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean', short: 'h' },
        strategy: { type: 'string' },
        'write-env': { type: 'string' },
        port: { type: 'string' },
        'authority-port': { type: 'string' },
        'token-lifetime': { type: 'string' },
      },
    }));
  } catch (error) {
    throw new Error(`keyless-emulator: ${(error as Error).message.replace(/\. To specify.*$/s, '')}. See --help.`);
  }
  const strategy = values.strategy as string | undefined;
  if (strategy !== undefined && !STRATEGIES.includes(strategy as EmulatorEnvKind)) {
    throw new Error(`keyless-emulator: --strategy ${strategy} is not one of ${STRATEGIES.join(', ')}.`);
  }
  const envFile = values['write-env'] as string | undefined;
  if (envFile !== undefined && strategy === undefined) {
    throw new Error('keyless-emulator: --write-env needs --strategy NAME: which strategy the file is for.');
  }
  return {
    help: values.help === true,
    strategy: strategy as EmulatorEnvKind | undefined,
    envFile,
    port: whole('--port', values.port, 1, 65_535),
    authorityPort: whole('--authority-port', values['authority-port'], 1, 65_535),
    tokenLifetimeSeconds: whole('--token-lifetime', values['token-lifetime'], 1, 86_400),
  };
}

function whole(option: string, value: unknown, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new Error(
      `keyless-emulator: ${option} must be a whole number from ${min} to ${max}, not ${JSON.stringify(value)}.`,
    );
  }
  return number;
}
