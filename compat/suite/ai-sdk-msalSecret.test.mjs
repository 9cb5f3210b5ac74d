import { adapters, describeAdapterConformance } from '@keyless/test-suites';

describeAdapterConformance('ai-sdk', 'msalSecret', adapters['ai-sdk']);
