import { adapters, describeAdapterConformance } from '@keyless/test-suites';

describeAdapterConformance('fetch', 'workloadIdentity', adapters.fetch);
