import { adapters, describeAdapterConformance } from '@keyless/test-suites';

describeAdapterConformance('fetch', 'default', adapters.fetch);
