import { adapters, describeAdapterConformance } from '@keyless/test-suites';

describeAdapterConformance('openai', 'imds', adapters.openai);
