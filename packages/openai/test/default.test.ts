import { adapters, describeAdapterConformance } from '@keyless/test-suites';

describeAdapterConformance('openai', 'default', adapters.openai);
