/**
 * The deepest nesting and the most entries per object or array that any input may have. No DTO
 * of the platform comes near either; past them, class-transformer and class-validator recurse
 * until the stack overflows (a 500), or spend the event loop on entries no DTO keeps.
 */
export const INPUT_SHAPE = { maxDepth: 32, maxEntries: 1000 } as const;

/**
 * What is wrong with the shape of a parsed input, or undefined. Walks with its own stack, not by
 * recursion, so the input that would overflow the validators cannot overflow the check.
 */
export function inputShapeProblem(value: unknown): string | undefined {
  const pending: Array<{ node: unknown; depth: number }> = [{ node: value, depth: 0 }];
  while (pending.length > 0) {
    const { node, depth } = pending.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth >= INPUT_SHAPE.maxDepth) return `nested deeper than ${INPUT_SHAPE.maxDepth} levels`;
    const children = Object.values(node);
    if (children.length > INPUT_SHAPE.maxEntries) return `an object or array has more than ${INPUT_SHAPE.maxEntries} entries`;
    for (const child of children) pending.push({ node: child, depth: depth + 1 });
  }
  return undefined;
}
