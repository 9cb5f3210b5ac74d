import { describeOpenAISurfaces } from '@keyless/test-suites';

describeOpenAISurfaces('apiKey');
