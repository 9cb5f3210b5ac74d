import { Env } from '@keyless/core';

/** How `keyless doctor` classifies the outcome. */
type Outcome = 'ok' | 'config' | 'credential' | 'wrong-audience' | 'permission-denied' | 'invalid-token' | 'bad-key' | 'key-auth-disabled' | 'wrong-endpoint' | 'deployment-not-found' | 'throttled' | 'network' | 'unexpected';
/** One step of the report: what was checked and what was found. */
interface Step {
    name: string;
    ok: boolean;
    detail: string;
    /** Non-secret facts, for --json. */
    data?: Record<string, unknown>;
}
/** The whole report, as `--json` prints it. */
interface Diagnosis {
    outcome: Outcome;
    ok: boolean;
    steps: Step[];
    /** What to do, when something failed. */
    fix?: string;
}

/** The non-secret facts of a token: who it is for, for what, until when. Never the token. */
interface TokenFacts {
    aud?: string | string[] | undefined;
    iss?: string | undefined;
    tid?: string | undefined;
    oid?: string | undefined;
    appid?: string | undefined;
    roles?: string[] | undefined;
    scp?: string | undefined;
    /** A user's (delegated) token, and the user's name. */
    user: boolean;
    upn?: string | undefined;
    expiresOn?: string | undefined;
    secondsLeft?: number | undefined;
    audienceOk: boolean;
}
/** Decodes a token's claims (without trusting them) and checks its audience. */
declare function inspectToken(token: string, now?: number): TokenFacts | undefined;

/** Where to probe, and with which headers. */
interface Probe {
    endpoint: string;
    deployment?: string | undefined;
    apiVersion: string;
    headers: Readonly<Record<string, string>>;
    /** The principal's oid (from the token), to print in the role command. */
    oid?: string | undefined;
    /** Set when the token is a user's: the role command then names a User principal. */
    user?: {
        upn?: string | undefined;
    } | undefined;
    fetch?: typeof fetch;
}
/** What the probe found. */
interface ProbeResult {
    outcome: Outcome;
    status?: number;
    detail: string;
    fix?: string;
}
/**
 * The cheapest authenticated call: a one-token chat completion on the deployment when one is
 * named (it proves the role on the data action users need), else listing the models.
 */
declare function probeEndpoint(probe: Probe): Promise<ProbeResult>;

/** Renders a diagnosis for a terminal: colours only when `color` (a TTY), plain text otherwise. */
declare function renderDiagnosis(diagnosis: Diagnosis, color: boolean): string;

/** Options of {@link runDoctor}. */
interface DoctorOptions {
    env: Env;
    endpoint?: string | undefined;
    deployment?: string | undefined;
    apiVersion?: string | undefined;
    /** Called as each step starts, for a progress line. */
    onStep?: ((name: string) => void) | undefined;
}
/**
 * Diagnoses the environment the way authFromEnv() reads it: which strategy and why, the token's
 * claims (never the token), its audience, and one authenticated call, classified.
 */
declare function runDoctor(options: DoctorOptions): Promise<Diagnosis>;

export { type Diagnosis, type DoctorOptions, type Outcome, type Probe, type ProbeResult, type Step, type TokenFacts, inspectToken, probeEndpoint, renderDiagnosis, runDoctor };
