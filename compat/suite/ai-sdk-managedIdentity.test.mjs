import { adapters, describeAdapterConformance } from '@keyless/test-suites';

describeAdapterConformance('ai-sdk', 'managedIdentity', adapters['ai-sdk']);
