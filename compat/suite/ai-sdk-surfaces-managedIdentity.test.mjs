import { describeAiSdkSurfaces } from '@keyless/test-suites';

describeAiSdkSurfaces('managedIdentity');
