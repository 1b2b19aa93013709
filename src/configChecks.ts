import type { Field } from 'payload'

// What every option check shares: the error a misconfigured site gets at boot, and the field
// lookup that sees through Payload's presentational fields.

/** Thrown while the Payload config is built; the message names the option and the fix. */
export class LivekitPluginConfigError extends Error {
  constructor(message: string) {
    super(`payload-plugin-livekit: ${message}`)
    this.name = 'LivekitPluginConfigError'
  }
}

/**
 * Presentational fields (rows, collapsibles, unnamed groups and tabs) do not nest data: look
 * through them.
 */
export function findDataField(fields: Field[], name: string): Field | undefined {
  for (const field of fields) {
    if ('name' in field && field.name === name) {
      return field
    }
    // Unnamed groups too: Payload's ecommerce plugin keeps `priceInUSD` in one.
    const presentational =
      field.type === 'row' ||
      field.type === 'collapsible' ||
      (field.type === 'group' && !('name' in field && field.name))
    if (presentational && 'fields' in field) {
      const found = findDataField(field.fields, name)
      if (found) {
        return found
      }
    }
    if (field.type === 'tabs') {
      for (const tab of field.tabs) {
        if ('name' in tab && tab.name) {
          continue
        }
        const found = findDataField(tab.fields, name)
        if (found) {
          return found
        }
      }
    }
  }
  return undefined
}
