import { describeColdHerd } from '@keyless/test-suites';
import { fetchAdapter } from './fetchAdapter.js';

describeColdHerd('fetch', 'msalSecret', fetchAdapter);
