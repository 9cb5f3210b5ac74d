import { describe, expect, it } from 'vitest';
import { useEmulator } from '../src/vitest.js';

const before = process.env.AZURE_OPENAI_API_KEY;

describe('useEmulator, within a describe', () => {
  const emulator = useEmulator({ env: 'apiKey' });
  let outside: unknown;
  try {
    void emulator.openaiEndpoint;
  } catch (error) {
    outside = error;
  }

  it('says where the emulator can be used when read before it starts', () => {
    expect(String(outside)).toContain('useEmulator: the emulator runs from beforeAll to afterAll of this file');
  });

  it("sets the strategy's variables for the file", async () => {
    expect(process.env.AZURE_OPENAI_API_KEY).toBe(emulator.apiKey);
    expect(process.env.AZURE_OPENAI_ENDPOINT).toBe(emulator.openaiEndpoint);
    const answer = await fetch(`${emulator.openaiEndpoint}/openai/v1/models`, {
      headers: { 'api-key': emulator.apiKey },
    });
    expect(answer.status).toBe(200);
    expect(emulator.counters.dataPlane.apiKey).toBe(1);
    emulator.faults.add('dataPlane', { status: 503, times: 5 });
    emulator.settings.lifetimeSeconds = 5;
  });

  it('starts each test clean: counters zeroed, faults cleared, settings as they started', async () => {
    expect(emulator.counters.dataPlane.apiKey).toBe(0);
    expect(emulator.settings.lifetimeSeconds).toBe(3600);
    const answer = await fetch(`${emulator.openaiEndpoint}/openai/v1/models`, {
      headers: { 'api-key': emulator.apiKey },
    });
    expect(answer.status).toBe(200);
  });
});

describe('after a useEmulator describe', () => {
  it('the environment is restored', () => {
    expect(process.env.AZURE_OPENAI_API_KEY).toBe(before);
  });
});
