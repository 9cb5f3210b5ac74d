import { adapters, describeAdapterConformance } from '@keyless/test-suites';

describeAdapterConformance('fetch', 'imds', adapters.fetch);
