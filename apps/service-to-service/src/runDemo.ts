import type { AppReport } from '@keyless/app-shared';
import { authFromEnv } from '@keyless/core';
import { createAuthorizedFetch } from '@keyless/fetch';
import type { InboundAuth } from './verifyCaller.js';

const post = (url: string, token: string | undefined, text: string) =>
  fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify({ text }),
  });

/**
 * `--demo`: calls the service once without a token (refused), then as its callers would: a second
 * service with its own Entra token for the summarizer's audience, or, acting for users, each user
 * token in SUMMARIZER_DEMO_USER_TOKENS (space-separated, as a sign-in gave them). Returns the report.
 */
export async function runDemo(base: string, inbound: InboundAuth, env: NodeJS.ProcessEnv): Promise<AppReport> {
  const health = await fetch(`${base}/healthz`);
  const anonymous = await post(`${base}/summarize`, undefined, 'no token');
  const refusedAnonymous = `anonymous ${anonymous.status} (${anonymous.headers.get('www-authenticate')})`;
  if (inbound.callers === 'users') {
    const tokens = (env.SUMMARIZER_DEMO_USER_TOKENS ?? '').split(/\s+/).filter(Boolean);
    if (tokens.length === 0) {
      throw new Error(
        "acting for users, --demo needs SUMMARIZER_DEMO_USER_TOKENS: users' tokens for this API (its scope).",
      );
    }
    const outcomes: string[] = [];
    let answered = 0;
    let explained = 0;
    for (const [index, token] of tokens.entries()) {
      const response = await post(`${base}/summarize`, token, `a request from user ${index + 1}`);
      const body = (await response.json()) as { summary?: string; error?: string };
      if (response.status === 200) answered += 1;
      // A user without the role is told which assignment to ask for: an explained refusal.
      if (response.status === 403 && /--assignee-principal-type User/.test(body.error ?? '')) explained += 1;
      outcomes.push(`user ${index + 1} ${response.status}${response.status === 200 ? '' : `: ${body.error}`}`);
    }
    console.log(`healthz ${health.status}; ${refusedAnonymous}; ${outcomes.join('; ')}`);
    return {
      ok: health.status === 200 && anonymous.status === 401 && answered >= 1 && answered + explained === tokens.length,
      calls: tokens.length,
      summary: `on behalf of ${tokens.length} users: ${answered} answered, ${explained} told the role to ask for; anonymous ${anonymous.status}`,
    };
  }
  // The calling service: its own identity (here the same variables), a token for the summarizer.
  const caller = authFromEnv({ scope: `${inbound.audience}/.default` });
  const callSummarizer = createAuthorizedFetch(caller, { origin: base, otherOrigins: 'refuse' });
  const summary = await callSummarizer(`${base}/summarize`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text: 'keyless auth for services' }),
  });
  const summaryBody = (await summary.json()) as { summary?: string; error?: string };
  console.log(
    `healthz ${health.status}; ${refusedAnonymous}; summarize ${summary.status}: ${summaryBody.summary ?? summaryBody.error}`,
  );
  return {
    ok: health.status === 200 && anonymous.status === 401 && summary.status === 200,
    calls: 1,
    summary: `caller token → summarize ${summary.status}; anonymous ${anonymous.status}`,
  };
}
