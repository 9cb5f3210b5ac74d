import { adapters, describeAzureShapes } from '@keyless/test-suites';

describeAzureShapes('openai', adapters.openai);
