import { describeAdapterConformance } from '@keyless/test-suites';
import { langchainAdapter } from './langchainAdapter.js';

describeAdapterConformance('langchain', 'managedIdentity', langchainAdapter);
