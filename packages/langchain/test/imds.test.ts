import { adapters, describeAdapterConformance } from '@keyless/test-suites';

describeAdapterConformance('langchain', 'imds', adapters.langchain);
