import { describeAdapterConformance } from '@keyless/test-suites';
import { openaiAdapter } from './openaiAdapter.js';

describeAdapterConformance('openai', 'apiKey', openaiAdapter);
