import { adapters, describeOnBehalfOf } from '@keyless/test-suites';

describeOnBehalfOf('fetch', adapters.fetch);
