import { QueryFailedError } from 'typeorm';
import { isDependencyUnavailable } from './dependency-unavailable';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });
const queryFailed = (driverError: Error) => new QueryFailedError('SELECT 1', [], driverError);

describe('isDependencyUnavailable', () => {
  it.each([
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['a reset one', withCode('read ECONNRESET', 'ECONNRESET')],
    ['pg: the connection died under a query', new Error('Connection terminated unexpectedly')],
    ['pg: no connection within the deadline', new Error('timeout exceeded when trying to connect')],
    ['pg: a query past query_timeout', new Error('Query read timeout')],
    ['SQLSTATE 08006 through TypeORM', queryFailed(withCode('connection failure', '08006'))],
    ['SQLSTATE 57P01, the server shutting down', queryFailed(withCode('terminating connection due to administrator command', '57P01'))],
    ['SQLSTATE 53300, too many connections', queryFailed(withCode('sorry, too many clients already', '53300'))],
  ])('is true for %s', (_name, error) => {
    expect(isDependencyUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', queryFailed(withCode('duplicate key value', '23505'))],
    ['a syntax error', queryFailed(withCode('syntax error at or near', '42601'))],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['not an error at all', 'text'],
    ['nothing', undefined],
  ])('is false for %s', (_name, error) => {
    expect(isDependencyUnavailable(error)).toBe(false);
  });
});
