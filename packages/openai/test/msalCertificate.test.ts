import { adapters, describeAdapterConformance } from '@keyless/test-suites';

describeAdapterConformance('openai', 'msalCertificate', adapters.openai);
