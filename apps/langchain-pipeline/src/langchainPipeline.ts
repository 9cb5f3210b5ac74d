import type { SampleAppOptions } from '@keyless/app-shared';
import { createAzureChatOpenAI, createAzureOpenAIEmbeddings } from '@keyless/langchain';
import { StringOutputParser } from '@langchain/core/output_parsers';
import { ChatPromptTemplate } from '@langchain/core/prompts';

/** Settings of the app: the shared sample-app options. */
export type LangchainPipelineOptions = SampleAppOptions;

const DOCUMENTS = [
  'Managed identity gives an Azure service a token without any secret.',
  'An API key is a shared secret that must be rotated.',
  'The Cognitive Services OpenAI User role allows inference calls.',
  'Bananas are rich in potassium.',
];

/** Cosine similarity of two vectors of equal length. */
export function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += (a[i] ?? 0) * (b[i] ?? 0);
    na += (a[i] ?? 0) ** 2;
    nb += (b[i] ?? 0) ** 2;
  }
  return dot / (Math.sqrt(na * nb) || 1);
}

/**
 * prompt -> AzureChatOpenAI -> string parser, batched over a few topics; then embeddings and a
 * tiny in-memory similarity search.
 */
export async function runLangchainPipeline(
  options: LangchainPipelineOptions,
): Promise<{ answers: string[]; best: string; calls: number }> {
  const common = { auth: options.auth, endpoint: options.endpoint, apiVersion: options.apiVersion };
  const model = createAzureChatOpenAI({ ...common, deployment: options.deployment, temperature: 0 });
  const chain = ChatPromptTemplate.fromMessages([
    ['system', 'You explain Azure auth in one sentence.'],
    ['user', 'Explain {topic}'],
  ])
    .pipe(model)
    .pipe(new StringOutputParser());
  const topics = ['managed identity', 'token refresh', 'role assignments'];
  const answers = await chain.batch(topics.map((topic) => ({ topic })));
  for (const [i, answer] of answers.entries()) options.write(`${topics[i]}: ${answer}\n`);

  let streamed = '';
  for await (const piece of await chain.stream({ topic: 'streaming' })) streamed += piece;
  options.write(`streamed: ${streamed}\n`);

  const embeddings = createAzureOpenAIEmbeddings({ ...common, deployment: options.embeddingsDeployment });
  const [query, vectors] = await Promise.all([
    embeddings.embedQuery('which role allows inference'),
    embeddings.embedDocuments(DOCUMENTS),
  ]);
  const ranked = DOCUMENTS.map((text, i) => ({ text, score: cosine(query, vectors[i] ?? []) })).sort(
    (a, b) => b.score - a.score,
  );
  const best = ranked[0]?.text ?? '';
  options.write(`most similar: ${best}\n`);
  return { answers, best, calls: topics.length + 1 + 1 + DOCUMENTS.length };
}
