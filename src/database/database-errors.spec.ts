import { QueryFailedError } from 'typeorm';

import { databaseFault, DatabaseUnavailableException } from 'src/database/database-errors';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });
const failed = (driverError: Error) => new QueryFailedError('SELECT 1', [], driverError);

describe('databaseFault', () => {
  it.each([
    ['connection refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }), 'unreachable'],
    ['connection reset', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), 'unreachable'],
    ['every address refused', new AggregateError([Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })], 'connect failed'), 'unreachable'],
    ['terminated', new Error('Connection terminated unexpectedly'), 'unreachable'],
    ['client closed', new Error('Client was closed and is not queryable'), 'unreachable'],
    ['connect timeout', new Error('timeout expired'), 'stalled'],
    ['pool wait timeout', new Error('timeout exceeded when trying to connect'), 'stalled'],
    ['pool connect timeout', new Error('Connection terminated due to connection timeout'), 'stalled'],
    ['client query timeout', failed(new Error('Query read timeout')), 'stalled'],
    ['statement timeout', failed(pgError('57014', 'canceling statement due to statement timeout')), 'slow-query'],
    ['admin shutdown', failed(pgError('57P01', 'terminating connection due to administrator command')), 'shutting-down'],
    ['crash shutdown', pgError('57P02'), 'shutting-down'],
    ['starting up', pgError('57P03', 'the database system is starting up'), 'shutting-down'],
    ['too many connections', pgError('53300', 'sorry, too many clients already'), 'overloaded'],
    ['connection exception class', pgError('08006'), 'unreachable'],
    ['protocol violation', pgError('08P01'), 'unreachable'],
    ['idle in transaction', pgError('25P03'), 'idle-transaction'],
    ['pool ended', new Error('Cannot use a pool after calling end on the pool'), 'shutting-down'],
    ['cause chain', new Error('wrapped', { cause: pgError('57P01') }), 'shutting-down'],
  ])('%s -> %s', (_name, error, fault) => {
    expect(databaseFault(error)).toBe(fault);
    const e = DatabaseUnavailableException.from(error)!;
    expect(e.getStatus()).toBe(503);
    expect(e.message).toMatch(/database/i);
  });

  it.each([
    ['unique violation', failed(pgError('23505'))],
    ['syntax error', failed(pgError('42601'))],
    ['a programming error', new TypeError('x is not a function')],
    ['an error with a message that merely mentions a timeout', new Error('upload timeout expired for file')],
    ['nothing', undefined],
    ['a string', 'Connection terminated'],
  ])('%s is not a database fault', (_name, error) => {
    expect(databaseFault(error)).toBeUndefined();
    expect(DatabaseUnavailableException.from(error)).toBeUndefined();
  });

  it('logs the start of a slow statement without its parameters, and a stall without SQL', () => {
    const slow = DatabaseUnavailableException.from(new QueryFailedError('SELECT  *\n FROM evidence WHERE id = $1', ['secret'], pgError('57014', 'canceling statement due to statement timeout')))!;
    expect(slow.describe()).toBe('Database slow-query: canceling statement due to statement timeout in: SELECT * FROM evidence WHERE id = $1');
    const stall = DatabaseUnavailableException.from(failed(new Error('Query read timeout')))!;
    expect(stall.describe()).toBe('Database stalled: Query read timeout');
  });
});
