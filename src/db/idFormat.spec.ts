import { describe, expect, it } from 'vitest'

import { idFromText, idOfShape, idShapeFrom } from './idFormat.js'

describe('ids that cannot exist', () => {
  const serial = idShapeFrom({
    adapter: 'postgres',
    columnType: 'integer',
    idType: 'serial',
    payloadType: 'number',
  })

  it('a serial column holds 1 to 2,147,483,647; anything past it or not digits is no id', () => {
    expect(idOfShape(serial, '2147483647')).toBe(2147483647)
    for (const raw of [
      '2147483648',
      '99999999999',
      '99999999999999999999999',
      '-1',
      '1e3',
      '0x10',
      '1.5',
      ' 1',
      '',
      '１',
    ]) {
      expect(idOfShape(serial, raw), raw).toBeNull()
    }
  })

  it('uuid ids (idType uuid) must be uuids, whatever the adapter', () => {
    for (const shape of [
      idShapeFrom({ adapter: 'postgres', columnType: 'uuid', idType: 'uuid', payloadType: 'text' }),
      idShapeFrom({ adapter: 'sqlite', columnType: null, idType: 'uuid', payloadType: 'text' }),
    ]) {
      expect(idOfShape(shape, '3F2504E0-4F89-11D3-9A0C-0305E82C3301')).toBe(
        '3f2504e0-4f89-11d3-9a0c-0305e82c3301',
      )
      expect(idOfShape(shape, '12')).toBeNull()
      expect(idOfShape(shape, "3f2504e0-4f89-11d3-9a0c-0305e82c330'")).toBeNull()
    }
  })

  it('MongoDB ids are ObjectIds; a custom text id there is text', () => {
    const mongo = idShapeFrom({ adapter: 'mongoose', columnType: null, payloadType: 'text' })
    expect(idOfShape(mongo, '507f1f77bcf86cd799439011')).toBe('507f1f77bcf86cd799439011')
    expect(idOfShape(mongo, '507f1f77bcf86cd79943901')).toBeNull()
    expect(
      idOfShape(
        idShapeFrom({ adapter: 'mongoose', columnType: null, idType: 'text', payloadType: 'text' }),
        'my-slug',
      ),
    ).toBe('my-slug')
  })

  it('numeric ids without a column type (SQLite) stop at the largest exact JavaScript integer', () => {
    const sqlite = idShapeFrom({ adapter: 'sqlite', columnType: null, payloadType: 'number' })
    expect(idOfShape(sqlite, String(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER)
    expect(idOfShape(sqlite, '9007199254740992')).toBeNull()
  })

  it('text ids are letters, digits, dashes and underscores, at most 64', () => {
    const text = idShapeFrom({ adapter: 'postgres', columnType: 'varchar', payloadType: 'text' })
    expect(idOfShape(text, 'a-b_C9')).toBe('a-b_C9')
    for (const raw of ['a b', 'a/b', "a'", 'x'.repeat(65), '']) {
      expect(idOfShape(text, raw)).toBeNull()
    }
  })
})

describe('ids the plugin wrote down as text, read back', () => {
  it('become numbers only where the id column is an integer', () => {
    const serial = idShapeFrom({
      adapter: 'postgres',
      columnType: 'integer',
      idType: 'serial',
      payloadType: 'number',
    })
    expect(idFromText(serial, '42')).toBe(42)
    const mongo = idShapeFrom({ adapter: 'mongoose', columnType: null, payloadType: 'text' })
    const customText = idShapeFrom({
      adapter: 'postgres',
      columnType: 'varchar',
      payloadType: 'text',
    })
    // An all-digit id of a text column stays text: it would match no row as a number.
    expect(idFromText(customText, '42')).toBe('42')
    expect(idFromText(mongo, '507f1f77bcf86cd799439011')).toBe('507f1f77bcf86cd799439011')
  })

  it('keep what idOfShape would refuse: they came from real ids', () => {
    const text = idShapeFrom({ adapter: 'postgres', columnType: 'varchar', payloadType: 'text' })
    expect(idFromText(text, 'a.b c')).toBe('a.b c')
  })
})
