import { adapters, describeAdapterConformance } from '@keyless/test-suites';

describeAdapterConformance('langchain', 'msalSecret', adapters.langchain);
