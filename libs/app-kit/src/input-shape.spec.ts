import { INPUT_SHAPE, inputShapeProblem } from './input-shape';

function nested(levels: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i++) value = i % 2 ? { a: value } : [value];
  return value;
}

describe('inputShapeProblem', () => {
  it('passes nesting up to the cap, and refuses one level more', () => {
    expect(inputShapeProblem(nested(INPUT_SHAPE.maxDepth))).toBeUndefined();
    expect(inputShapeProblem(nested(INPUT_SHAPE.maxDepth + 1))).toBe('nested deeper than 32 levels');
  });

  it('refuses 10,000 levels without overflowing its own stack', () => {
    expect(inputShapeProblem(JSON.parse(`${'['.repeat(10_000)}${']'.repeat(10_000)}`))).toBe('nested deeper than 32 levels');
  });

  it('refuses an object or array wider than the cap, anywhere', () => {
    expect(inputShapeProblem({ ids: Array.from({ length: INPUT_SHAPE.maxEntries }, String) })).toBeUndefined();
    expect(inputShapeProblem({ deep: { ids: Array.from({ length: INPUT_SHAPE.maxEntries + 1 }, String) } })).toBe(
      'an object or array has more than 1000 entries',
    );
    expect(inputShapeProblem(Object.fromEntries(Array.from({ length: INPUT_SHAPE.maxEntries + 1 }, (_, i) => [`k${i}`, i])))).toMatch(/more than 1000/);
  });

  it('passes scalars and empty containers', () => {
    for (const value of ['x', 3, null, undefined, true, {}, []]) expect(inputShapeProblem(value)).toBeUndefined();
  });
});
