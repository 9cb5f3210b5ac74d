import { describeColdHerd } from '@keyless/test-suites';
import { openaiAdapter } from './openaiAdapter.js';

describeColdHerd('openai', 'msalSecret', openaiAdapter);
