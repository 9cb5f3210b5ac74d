import { adapters, describeAdapterConformance } from '@keyless/test-suites';

describeAdapterConformance('openai', 'msalSecret', adapters.openai);
