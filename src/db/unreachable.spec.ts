import { describe, expect, it } from 'vitest'

import { isDatabaseUnreachable } from './unreachable.js'

const failure = (fields: Record<string, unknown>) => Object.assign(new Error(), fields)

describe('isDatabaseUnreachable', () => {
  it('knows a server that is not there, restarting or full', () => {
    for (const error of [
      failure({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432' }),
      failure({ code: '57P01', message: 'terminating connection due to administrator command' }),
      failure({ code: '57P03', message: 'the database system is starting up' }),
      failure({ code: '08006', message: 'connection failure' }),
      failure({ code: '53300', message: 'sorry, too many clients already' }),
      failure({ message: 'Connection terminated unexpectedly' }),
      failure({ code: 'SQLITE_BUSY', message: 'SQLITE_BUSY: database is locked' }),
      failure({ name: 'MongoServerSelectionError', message: 'Server selection timed out' }),
      failure({ name: 'MongoBulkWriteError', message: 'connect ECONNREFUSED 127.0.0.1:27017' }),
    ]) {
      expect(isDatabaseUnreachable(error), String(error.message)).toBe(true)
    }
  })

  it('follows the causes an ORM wraps the driver error in', () => {
    const driver = failure({ code: '57P01', message: 'terminating connection' })
    const wrapped = new Error('Failed query: insert into …', { cause: driver })
    expect(isDatabaseUnreachable(new Error('outer', { cause: wrapped }))).toBe(true)
  })

  it('leaves faults of the statement itself alone', () => {
    for (const error of [
      failure({ code: '23505', message: 'duplicate key value violates unique constraint' }),
      failure({ code: '42P01', message: 'relation "x" does not exist' }),
      failure({ code: 'SQLITE_CONSTRAINT', message: 'UNIQUE constraint failed' }),
      new TypeError("Cannot read properties of undefined (reading 'id')"),
      'a string',
      null,
    ]) {
      expect(isDatabaseUnreachable(error)).toBe(false)
    }
  })
})
