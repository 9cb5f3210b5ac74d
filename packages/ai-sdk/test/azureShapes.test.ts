import { adapters, describeAzureShapes } from '@keyless/test-suites';

describeAzureShapes('ai-sdk', adapters['ai-sdk']);
