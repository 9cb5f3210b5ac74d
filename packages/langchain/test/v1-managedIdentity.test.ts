import { describeLangChainV1 } from '@keyless/test-suites';

describeLangChainV1('managedIdentity');
