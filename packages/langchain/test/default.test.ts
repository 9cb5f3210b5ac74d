import { adapters, describeAdapterConformance } from '@keyless/test-suites';

describeAdapterConformance('langchain', 'default', adapters.langchain);
