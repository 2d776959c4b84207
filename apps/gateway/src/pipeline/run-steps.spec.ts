import { DomainError } from '@gatehouse/contracts';
import type { Exchange } from '../exchange';
import type { PipelineStep } from './pipeline-step';
import { runSteps } from './run-steps';

describe('runSteps', () => {
  const exchange = {} as Exchange;
  let order: string[];
  const now = (name: string): PipelineStep => ({ name, run: () => void order.push(name) });
  const later = (name: string): PipelineStep => ({ name, run: () => Promise.resolve().then(() => void order.push(name)) });
  const refuse = (name: string): PipelineStep => ({
    name,
    run: () => {
      order.push(name);
      throw new DomainError('forbidden', `${name} refuses`);
    },
  });
  beforeEach(() => (order = []));

  it('stops at the first step that refuses: later steps never run', () => {
    expect(() => runSteps([now('match'), refuse('authenticate'), now('throttle')], exchange)).toThrow(DomainError);
    expect(order).toEqual(['match', 'authenticate']);
  });

  it('stops at a refusal after a step that waited', async () => {
    await expect(runSteps([later('authenticate'), refuse('tenant'), now('throttle')], exchange)).rejects.toMatchObject({ code: 'forbidden' });
    expect(order).toEqual(['authenticate', 'tenant']);
  });

  it('answers true in the same tick when no step waits', () => {
    expect(runSteps([now('authenticate'), now('throttle'), now('authorize')], exchange)).toBe(true);
    expect(order).toEqual(['authenticate', 'throttle', 'authorize']);
  });

  it('keeps the order across a step that waits', async () => {
    const result = runSteps([now('authenticate'), later('tenant'), now('throttle')], exchange);
    expect(result).toBeInstanceOf(Promise);
    expect(order).toEqual(['authenticate']);
    await expect(result).resolves.toBe(true);
    expect(order).toEqual(['authenticate', 'tenant', 'throttle']);
  });
});
