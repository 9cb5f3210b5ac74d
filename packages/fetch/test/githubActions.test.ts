import { adapters, describeAdapterConformance } from '@keyless/test-suites';

describeAdapterConformance('fetch', 'githubActions', adapters.fetch);
