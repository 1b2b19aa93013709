import { describe, expect, it } from 'vitest'

import { duplicatePositions } from './mongo.js'

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
