import { adapters, describeAzureShapes } from '@keyless/test-suites';

describeAzureShapes('fetch', adapters.fetch);
