import { adapters, describeOnBehalfOf } from '@keyless/test-suites';

describeOnBehalfOf('ai-sdk', adapters['ai-sdk']);
