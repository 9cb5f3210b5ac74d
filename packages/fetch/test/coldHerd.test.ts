import { adapters, describeColdHerd } from '@keyless/test-suites';

describeColdHerd('fetch', 'msalSecret', adapters.fetch);
