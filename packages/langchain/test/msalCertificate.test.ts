import { adapters, describeAdapterConformance } from '@keyless/test-suites';

describeAdapterConformance('langchain', 'msalCertificate', adapters.langchain);
