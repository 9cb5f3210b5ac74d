import { adapters, describeColdHerd } from '@keyless/test-suites';

describeColdHerd('langchain', 'msalSecret', adapters.langchain);
