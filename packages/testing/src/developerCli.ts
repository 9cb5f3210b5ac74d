import { chmod, mkdir, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { audienceFor, type EmulatorState } from './emulatorState.js';
import { sendJson } from './http.js';
import type { Principal } from './tokenIssuer.js';

/** Path on the data plane's port where the stand-in `az` and `azd` get their tokens. */
export const DEVELOPER_TOKEN_PATH = '/_emulator/developer-token';

/** Azure CLI's public client id: what a developer's tokens carry as `appid`. */
const AZURE_CLI_APP_ID = '04b07795-8ddb-461a-bbee-02f9e1bf7b46';

/** The developer signed in to the stand-in CLIs, and what they answer. */
export interface DeveloperState {
  readonly principal: Principal & { upn: string };
  /** `signed-in`; `signed-out` (never ran az login); `expired` (the CLI's refresh token expired). */
  session: 'signed-in' | 'signed-out' | 'expired';
}

/** A user principal for the developer: roles are granted to its oid as to any principal. */
export function newDeveloper(oid: string): DeveloperState {
  return { principal: { oid, appId: AZURE_CLI_APP_ID, upn: 'developer@keyless.example' }, session: 'signed-in' };
}

/**
 * Answers the stand-in CLIs: a user token for `resource` while the developer is signed in; 401
 * with the session state otherwise (the script turns it into the CLI's own words).
 */
export async function handleDeveloperToken(
  state: EmulatorState,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname !== DEVELOPER_TOKEN_PATH) return false;
  const { developer } = state;
  if (developer.session !== 'signed-in') {
    sendJson(res, 401, { session: developer.session });
    return true;
  }
  const resource = (url.searchParams.get('resource') ?? '').replace(/\/\.default$/, '');
  const { audience } = audienceFor(state, resource, developer.principal.oid);
  const lifetime = state.settings.lifetimeSeconds;
  state.counters.tokenRequests.developerCli += 1;
  const token = await state.issuer.mint(developer.principal, lifetime, audience, state.settings.expireEarlySeconds);
  sendJson(res, 200, { token, expiresOn: Math.floor(state.now() / 1000) + lifetime });
  return true;
}

// The scripts: Node, so they run wherever the tests run. Each asks the emulator and prints what
// the real CLI prints (JSON on stdout, its sign-in advice on stderr with exit code 1).
const SCRIPT = (cli: 'az' | 'azd', tokenUrl: string) => `#!/usr/bin/env node
const args = process.argv.slice(2);
const flag = (name) => { const i = args.indexOf(name); return i < 0 ? undefined : args[i + 1]; };
const cli = ${JSON.stringify(cli)};
const wanted = cli === 'az'
  ? args[0] === 'account' && args[1] === 'get-access-token'
  : args[0] === 'auth' && args[1] === 'token';
if (!wanted) { process.stderr.write(cli + ': this stand-in answers only ' + (cli === 'az' ? 'az account get-access-token' : 'azd auth token') + '\\n'); process.exit(2); }
const resource = cli === 'az' ? flag('--resource') ?? flag('--scope') : flag('--scope');
fetch(${JSON.stringify(tokenUrl)} + '?resource=' + encodeURIComponent(resource ?? '')).then(async (answer) => {
  const body = await answer.json();
  if (answer.status !== 200) {
    const expired = body.session === 'expired';
    process.stderr.write(cli === 'az'
      ? (expired
          ? 'ERROR: AADSTS700082: The refresh token has expired due to inactivity. The token was issued on 2026-01-01T00:00:00Z and was inactive for 90.00:00:00.\\nTo re-authenticate, please run:\\naz login --scope ' + resource + '/.default\\n'
          : "ERROR: Please run 'az login' to setup account.\\n")
      : (expired
          ? 'ERROR: fetching token: AADSTS70043: The refresh token has expired. not logged in, run \`azd auth login\` to login\\n'
          : 'ERROR: not logged in, run \`azd auth login\` to login\\n'));
    process.exit(1);
  }
  const expiresOn = new Date(body.expiresOn * 1000);
  process.stdout.write(JSON.stringify(cli === 'az'
    ? { accessToken: body.token, expiresOn: expiresOn.toISOString().replace('T', ' ').slice(0, 26), expires_on: body.expiresOn, subscription: '00000000-0000-0000-0000-000000000001', tenant: ${JSON.stringify('TENANT')}, tokenType: 'Bearer' }
    : { token: body.token, expiresOn: expiresOn.toISOString() }) + '\\n');
}, (error) => { process.stderr.write(cli + ': ' + error.message + '\\n'); process.exit(1); });
`;

/** Writes the stand-in `az` and `azd` to `dir/bin`; returns that folder, to put first on PATH. */
export async function writeDeveloperCli(dir: string, tokenUrl: string, tenantId: string): Promise<string> {
  const bin = join(dir, 'bin');
  await mkdir(bin, { recursive: true });
  for (const cli of ['az', 'azd'] as const) {
    const file = join(bin, cli);
    await writeFile(file, SCRIPT(cli, tokenUrl).replace('"TENANT"', JSON.stringify(tenantId)));
    await chmod(file, 0o755);
  }
  return bin;
}
