import { currencyDigits } from '../core/money.js'

/**
 * Reads an amount an admin typed in the currency's units (`15`, `15.00`, `15,5`, `1,500.25`,
 * `-3.10`) as integer minor units, or null when it is no amount. Pure string arithmetic: no float
 * ever touches the value.
 *
 * The separator rule: in a currency with minor units, the last `.` or `,` followed by at most that
 * many digits at the end is the decimal point and every other separator groups thousands; in a
 * currency without (JPY), every separator groups thousands.
 */
export function parseMajorUnits(typed: string, currency: string): null | number {
  const text = typed.trim().replace(/[\s']/g, '')
  const match = /^(-?)(\d(?:[\d.,]*\d)?)$/.exec(text)
  if (!match) {
    return null
  }
  const [, sign, body] = match as unknown as [string, string, string]
  const digits = currencyDigits(currency)
  let whole = body
  let fraction = ''
  const last = Math.max(body.lastIndexOf('.'), body.lastIndexOf(','))
  if (digits > 0 && last >= 0 && body.length - last - 1 <= digits && body.length - last - 1 > 0) {
    whole = body.slice(0, last)
    fraction = body.slice(last + 1)
  }
  whole = whole.replace(/[.,]/g, '')
  if (!/^\d*$/.test(whole) || !/^\d*$/.test(fraction) || whole + fraction === '') {
    return null
  }
  const minor = BigInt((whole || '0') + fraction.padEnd(digits, '0'))
  const value = Number(sign === '-' ? -minor : minor)
  return Number.isSafeInteger(value) ? value : null
}

/** Minor units as the plain number an admin edits (`1500` USD → `15.00`), no grouping. */
export function majorUnitsText(minor: number, currency: string): string {
  const digits = currencyDigits(currency)
  const text = String(Math.abs(Math.trunc(minor))).padStart(digits + 1, '0')
  const whole = text.slice(0, text.length - digits)
  return `${minor < 0 ? '-' : ''}${whole}${digits ? `.${text.slice(text.length - digits)}` : ''}`
}
