import { adapters, describeOnBehalfOf } from '@keyless/test-suites';

describeOnBehalfOf('openai', adapters.openai);
