import { adapters, describeOnBehalfOf } from '@keyless/test-suites';

describeOnBehalfOf('langchain', adapters.langchain);
