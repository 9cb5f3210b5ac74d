import { adapters, describeAdapterConformance } from '@keyless/test-suites';

describeAdapterConformance('fetch', 'msalCertificate', adapters.fetch);
