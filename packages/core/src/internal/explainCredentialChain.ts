/** What one link of DefaultAzureCredential's chain said, in a few words. */
interface LinkOutcome {
  link: string;
  found: string;
}

// The chain's links in its order, recognised by their own words (the errors carry no name).
const LINKS: ReadonlyArray<readonly [RegExp, string]> = [
  [/EnvironmentCredential/i, 'environment'],
  [/WorkloadIdentityCredential|workload identity/i, 'workload identity'],
  [/ManagedIdentityCredential|managed identity|IMDS/i, 'managed identity'],
  [/Visual Studio Code|VS ?Code/i, 'VS Code'],
  [/Azure Developer CLI|azd/i, 'azd'],
  [/Azure CLI|az login/i, 'Azure CLI'],
  [/PowerShell/i, 'PowerShell'],
  [/broker/i, 'broker'],
];

/**
 * Turns DefaultAzureCredential's stacked errors (an AggregateAuthenticationError whose `errors`
 * are the links' CredentialUnavailableErrors) into the fix that applies, first, and one line per
 * link: what was found. Undefined when `error` is not such an aggregate.
 */
export function explainCredentialChain(error: unknown): { fix: string; lines: string[] } | undefined {
  const errors = (error as { errors?: unknown })?.errors;
  if (!Array.isArray(errors) || errors.length === 0) return undefined;
  const outcomes = errors.map((item) => outcomeOf(item instanceof Error ? item.message : String(item)));
  const said = (link: string) => outcomes.find((outcome) => outcome.link === link)?.found ?? '';
  const cli = said('Azure CLI');
  const azd = said('azd');
  // The exact command the CLI asked for, when it named one (`az login --scope …`, claims).
  const command = errors
    .map(
      (item) =>
        /\baz login (?:--scope|--claims-challenge) [^\s'"]+(?: --scope [^\s'"]+)?(?: --tenant [^\s'"]+)?/.exec(
          String((item as Error)?.message),
        )?.[0],
    )
    .find((found) => found !== undefined);
  const fix = /expired/.test(cli)
    ? `Your Azure CLI sign-in expired: run ${command ?? 'az login'} again`
    : command !== undefined
      ? `The Azure CLI needs a new sign-in for this: run ${command}`
      : /not signed in/.test(cli)
        ? 'Run az login (the Azure CLI is installed but not signed in)'
        : /expired/.test(azd)
          ? 'Your Azure Developer CLI sign-in expired: run azd auth login again'
          : /not signed in/.test(azd)
            ? 'Run azd auth login (the Azure Developer CLI is installed but not signed in)'
            : /not available here/.test(said('managed identity'))
              ? 'Not on Azure, so managed identity is not available here: sign in with az login (or azd auth login) for local development, or choose an explicit strategy with KEYLESS_STRATEGY'
              : 'Choose an explicit strategy (KEYLESS_STRATEGY), or sign in with az login for local development';
  return { fix, lines: outcomes.map(({ link, found }) => `${link}: ${found}`) };
}

function outcomeOf(message: string): LinkOutcome {
  const link = LINKS.find(([pattern]) => pattern.test(message))?.[1] ?? 'credential';
  return { link, found: foundBy(link, message) };
}

function foundBy(link: string, message: string): string {
  if (/could not be found|couldn't be found|not installed|Unable to execute|ENOENT/i.test(message))
    return 'not installed';
  if (
    /AADSTS70043|AADSTS700082|AADSTS50173|expired/i.test(message) &&
    /az login|azd auth login|refresh token/i.test(message)
  ) {
    return 'the sign-in expired';
  }
  if (/az login|azd auth login|not logged in/i.test(message)) return 'installed, not signed in';
  switch (link) {
    case 'environment':
      return 'not configured (no AZURE_TENANT_ID + AZURE_CLIENT_ID with a secret or certificate)';
    case 'workload identity':
      return 'not configured (no AZURE_FEDERATED_TOKEN_FILE)';
    case 'managed identity':
      return 'not available here (no IDENTITY_ENDPOINT, and IMDS did not answer: not on Azure)';
    case 'VS Code':
      return 'not signed in (needs the Azure Resources extension and @azure/identity-vscode)';
    default:
      return message.split('\n')[0]?.slice(0, 120) ?? 'unavailable';
  }
}
