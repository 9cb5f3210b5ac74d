import { describeOpenAISurfaces } from '@keyless/test-suites';

describeOpenAISurfaces('managedIdentity');
