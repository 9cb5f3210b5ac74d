import { adapters, describeAzureShapes } from '@keyless/test-suites';

describeAzureShapes('langchain', adapters.langchain);
