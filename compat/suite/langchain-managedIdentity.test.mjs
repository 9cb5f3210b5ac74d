import { adapters, describeAdapterConformance } from '@keyless/test-suites';

describeAdapterConformance('langchain', 'managedIdentity', adapters.langchain);
