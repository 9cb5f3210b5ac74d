import { describeAdapterConformance } from '@keyless/test-suites';
import { fetchAdapter } from './fetchAdapter.js';

describeAdapterConformance('fetch', 'managedIdentity', fetchAdapter);
