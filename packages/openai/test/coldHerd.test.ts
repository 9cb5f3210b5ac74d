import { adapters, describeColdHerd } from '@keyless/test-suites';

describeColdHerd('openai', 'msalSecret', adapters.openai);
