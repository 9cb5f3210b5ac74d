// What the settings tests share: ids that look real, canary secrets, and the error code of a throw.
export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const CLIENT = '11111111-2222-3333-4444-555555555555';
export const SECRET = 'canary-client-secret-9f8e7d';
export const KEY = 'canary-api-key-0a1b2c3d4e';

export const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return { code: (error as { code?: string }).code, message: (error as Error).message };
  }
  throw new Error('expected a KeylessError');
};
