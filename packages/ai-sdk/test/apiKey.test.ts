import { adapters, describeAdapterConformance } from '@keyless/test-suites';

describeAdapterConformance('ai-sdk', 'apiKey', adapters['ai-sdk']);
