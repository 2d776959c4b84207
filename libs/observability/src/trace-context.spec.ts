import { childTraceparent, formatTraceparent, parseTraceparent, traceIdOf } from './trace-context';

const VALID = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('W3C traceparent', () => {
  it('accepts a version-00 header and reads its parts', () => {
    expect(parseTraceparent(VALID)).toEqual({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', parentId: '00f067aa0ba902b7', flags: '01' });
    expect(formatTraceparent(parseTraceparent(VALID)!)).toBe(VALID);
    // A later version may append fields: its first four are read.
    expect(traceIdOf(`01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra`)).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });

  it.each([
    ['upper case', VALID.toUpperCase()],
    ['version ff', VALID.replace(/^00/, 'ff')],
    ['a zero trace id', `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`],
    ['a zero parent id', `00-4bf92f3577b34da6a3ce929d0e0e4736-${'0'.repeat(16)}-01`],
    ['a short trace id', '00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01'],
    ['fields after version 00', `${VALID}-more`],
    ['no flags', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7'],
    ['an array', [VALID, VALID]],
    ['a huge value', `${VALID}${'-'.repeat(600)}`],
  ])('ignores %s', (_case, header) => {
    expect(parseTraceparent(header)).toBeUndefined();
  });

  it('starts a child span in the same trace, or a new trace when there is none', () => {
    const parent = parseTraceparent(VALID);
    const child = childTraceparent(parent);
    expect(child.traceId).toBe(parent?.traceId);
    expect(child.parentId).toMatch(/^[0-9a-f]{16}$/);
    expect(child.parentId).not.toBe(parent?.parentId);
    expect(parseTraceparent(formatTraceparent(childTraceparent(undefined)))).toBeDefined();
  });
});
