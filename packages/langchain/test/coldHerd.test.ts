import { describeColdHerd } from '@keyless/test-suites';
import { langchainAdapter } from './langchainAdapter.js';

describeColdHerd('langchain', 'msalSecret', langchainAdapter);
