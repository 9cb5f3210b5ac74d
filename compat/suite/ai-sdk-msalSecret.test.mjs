import { describeAiSdk } from '@keyless/test-suites';

describeAiSdk('msalSecret');
