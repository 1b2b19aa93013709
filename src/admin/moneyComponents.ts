/**
 * Admin components of an amount kept in minor units: typed and listed in the currency's units,
 * the currency read from `currencyField` (else `defaultCurrency`).
 */
export const moneyComponents = (currencyField: string | undefined, defaultCurrency: string) => {
  const clientProps = { currencyField, defaultCurrency }
  return {
    Field: { path: 'payload-plugin-livekit/client#MoneyField', clientProps },
    Cell: { path: 'payload-plugin-livekit/client#MoneyCell', clientProps },
  }
}
