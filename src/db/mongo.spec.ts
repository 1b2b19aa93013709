import { describe, expect, it } from 'vitest'

import { duplicatePositions, insertNew, type MongoCollection, updateEach } from './mongo.js'

describe('duplicatePositions: which documents of an unordered insert were repeats', () => {
  it('reads the positions of every duplicate key refusal', () => {
    const error = {
      code: 11000,
      writeErrors: [
        { code: 11000, index: 0 },
        { code: 11000, index: 3 },
      ],
    }
    expect(duplicatePositions(error, 5)).toEqual(new Set([0, 3]))
  })

  it('takes a single write error as the driver may give it', () => {
    expect(duplicatePositions({ writeErrors: { code: 11000, index: 2 } }, 4)).toEqual(new Set([2]))
  })

  it('a duplicate key error without positions is the one document of a one-document insert', () => {
    expect(duplicatePositions({ code: 11000 }, 1)).toEqual(new Set([0]))
    expect(duplicatePositions({ code: 11000 }, 2)).toBeNull()
  })

  it('any other refusal is not a repeat: the caller passes the error on', () => {
    expect(
      duplicatePositions(
        {
          writeErrors: [
            { code: 11000, index: 0 },
            { code: 2, index: 1 },
          ],
        },
        2,
      ),
    ).toBeNull()
    expect(duplicatePositions(new Error('connection reset'), 3)).toBeNull()
    expect(duplicatePositions(undefined, 1)).toBeNull()
  })
})

/** A collection that records the commands sent to it; `insertMany` fails as given. */
function recording(insertFailure?: unknown) {
  const commands: Array<{ op: string; size: number; ordered: boolean }> = []
  const collection = {
    bulkWrite: (operations: object[], options: { ordered: boolean }) => {
      commands.push({ op: 'bulkWrite', size: operations.length, ordered: options.ordered })
      return Promise.resolve({})
    },
    insertMany: (docs: object[], options: { ordered: boolean }) => {
      commands.push({ op: 'insertMany', size: docs.length, ordered: options.ordered })
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the driver rejects with plain objects too
      return insertFailure ? Promise.reject(insertFailure) : Promise.resolve({})
    },
  } as unknown as MongoCollection
  return { collection, commands }
}

describe('updateEach: many single-document updates in small commands', () => {
  it('sends 20 updates as three unordered commands of at most 8, none empty', async () => {
    const { collection, commands } = recording()
    await updateEach(
      collection,
      Array.from({ length: 20 }, (_, i) => ({ updateOne: { filter: { i }, update: {} } })),
    )
    expect(commands).toEqual([
      { op: 'bulkWrite', size: 8, ordered: false },
      { op: 'bulkWrite', size: 8, ordered: false },
      { op: 'bulkWrite', size: 4, ordered: false },
    ])
    const none = recording()
    await updateEach(none.collection, [])
    expect(none.commands).toEqual([])
  })
})

describe('insertNew: one unordered insert, repeats reported by position', () => {
  it('reports the refused positions of a duplicate key failure and rethrows anything else', async () => {
    const dup = recording({ code: 11000, writeErrors: [{ code: 11000, index: 1 }] })
    expect(await insertNew(dup.collection, [{}, {}, {}])).toEqual(new Set([1]))
    expect(dup.commands).toEqual([{ op: 'insertMany', size: 3, ordered: false }])
    const down = recording(new Error('connection reset'))
    await expect(insertNew(down.collection, [{}])).rejects.toThrow('connection reset')
    expect(await insertNew(recording().collection, [])).toEqual(new Set())
  })
})
