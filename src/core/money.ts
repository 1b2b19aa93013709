/** Money as people read and type it: integer minor units and the currency's digits. Pure. */

/** Digits after the decimal point of a currency (0 for JPY, 2 for EUR). */
export function currencyDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits ?? 2
    )
  } catch {
    return 2
  }
}

/** Integer minor units as a display amount (`EUR 1,234.50`), by string arithmetic, no floats. */
export function formatMinor(minor: number, currency: string): string {
  const digits = currencyDigits(currency)
  const text = String(Math.abs(Math.trunc(minor))).padStart(digits + 1, '0')
  const major = text.slice(0, text.length - digits).replace(/\B(?=(?:\d{3})+(?!\d))/g, ',')
  const fraction = digits ? `.${text.slice(text.length - digits)}` : ''
  return `${minor < 0 ? '-' : ''}${currency.toUpperCase()} ${major}${fraction}`
}

/**
 * Integer minor units as the reader's locale writes money (`15,00 €` for `de`, `$15.00` for
 * `en-US`, `￥1,500` for JPY). Exact: the amount goes to Intl as a decimal string, never a float.
 */
export function formatMoneyFor(minor: number, currency: string, locale: string): string {
  const digits = currencyDigits(currency)
  const text = String(Math.abs(Math.trunc(minor))).padStart(digits + 1, '0')
  const decimal = `${minor < 0 ? '-' : ''}${text.slice(0, text.length - digits)}${digits ? `.${text.slice(text.length - digits)}` : ''}`
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(
      decimal as unknown as number,
    )
  } catch {
    return formatMinor(minor, currency)
  }
}
