import { adapters, describeAdapterConformance } from '@keyless/test-suites';

describeAdapterConformance('openai', 'apiKey', adapters.openai);
