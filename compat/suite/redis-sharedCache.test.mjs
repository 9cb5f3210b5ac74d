import { describeSharedTokenCache } from '@keyless/test-suites';

describeSharedTokenCache();
