import { StartupError } from '@gatehouse/config';
import { startupFailure } from './run';

describe('startupFailure', () => {
  it('prints a StartupError as its block, under one heading, with no stack', () => {
    const text = startupFailure(StartupError.of('GATEWAY_ROUTES_FILE x.yaml: no such file', [], 'point GATEWAY_ROUTES_FILE at the file'), 'info');
    expect(text).toBe('\nGatehouse cannot start.\nGATEWAY_ROUTES_FILE x.yaml: no such file\n  Fix: point GATEWAY_ROUTES_FILE at the file\n\n');
  });

  it('says an unexpected error in one line, its stack only at debug or trace', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'id')");
    const quiet = startupFailure(bug, 'info');
    expect(quiet).toContain("Gatehouse cannot start: an unexpected error.\n  Cannot read properties of undefined (reading 'id')");
    expect(quiet).toContain('LOG_LEVEL=debug shows the stack trace');
    expect(quiet).not.toMatch(/^\s+at /m);
    expect(startupFailure(bug, 'debug')).toMatch(/^\s+at /m);
  });
});
