import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import { majorUnitsText, parseMajorUnits } from './moneyInput.js'

describe('amounts typed in the currency’s units', () => {
  it('become integer minor units', () => {
    expect(parseMajorUnits('15.00', 'usd')).toBe(1500)
    expect(parseMajorUnits('15', 'usd')).toBe(1500)
    expect(parseMajorUnits('15,5', 'eur')).toBe(1550)
    expect(parseMajorUnits('1,500.25', 'usd')).toBe(150025)
    expect(parseMajorUnits('1.500,25', 'eur')).toBe(150025)
    expect(parseMajorUnits('1 500,25', 'eur')).toBe(150025)
    expect(parseMajorUnits('-3.10', 'usd')).toBe(-310)
    expect(parseMajorUnits('1,500', 'jpy')).toBe(1500)
    expect(parseMajorUnits('0.07', 'usd')).toBe(7)
  })

  it('refuse what is no amount, and amounts past a safe integer', () => {
    for (const bad of ['', 'abc', '1.2.3x', '--1', '$5', '15.001.']) {
      expect(parseMajorUnits(bad, 'usd')).toBeNull()
    }
    expect(parseMajorUnits('99999999999999999999', 'usd')).toBeNull()
  })

  it('read back what they show, for any amount', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
        fc.constantFrom('usd', 'eur', 'jpy', 'kwd'),
        (minor, currency) => parseMajorUnits(majorUnitsText(minor, currency), currency) === minor,
      ),
    )
  })
})
